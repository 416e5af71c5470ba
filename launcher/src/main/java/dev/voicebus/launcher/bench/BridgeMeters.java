package dev.voicebus.launcher.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The direct bridge's measurements, taken at the same points as Voicebus's: caller frame received
 * -> sent on the Realtime socket, Realtime audio received -> written to the caller's socket, and
 * function call received -> output sent minus the tool's own run time (all in nanoseconds).
 */
public final class BridgeMeters {

  final Recorder inbound = new Recorder(3);
  final Recorder outbound = new Recorder(3);
  final Recorder toolOverhead = new Recorder(3);
  final AtomicLong agentChunks = new AtomicLong();
  final AtomicLong errors = new AtomicLong();

  void inbound(long nanos) {
    inbound.recordValue(Math.max(0, nanos));
  }

  void outbound(long nanos) {
    outbound.recordValue(Math.max(0, nanos));
    agentChunks.incrementAndGet();
  }

  void toolOverhead(long nanos) {
    toolOverhead.recordValue(Math.max(0, nanos));
  }

  /** Agent audio chunks written to callers so far. */
  public long agentChunks() {
    return agentChunks.get();
  }

  /** Realtime error events and failed sessions so far. */
  public long errors() {
    return errors.get();
  }
}
