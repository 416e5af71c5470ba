package dev.voicebus.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.HdrHistogram.Recorder;

/**
 * The session worker's meters: live calls, audio frames forwarded, dropped as duplicates or for
 * unknown calls, gaps, reconnects, tool timeouts, barge-ins, and the added latency from a frame's
 * arrival on audio.in to its send on the Realtime socket.
 */
public final class WorkerMetrics {

  private final Counter framesForwarded;
  private final Counter framesDuplicate;
  private final Counter framesUnknownCall;
  private final Counter audioGaps;
  private final Counter reconnects;
  private final Counter toolTimeouts;
  private final Counter bargeIns;
  private final Timer inboundLatency;
  private final Timer toolOverhead;
  private final Recorder inboundNanos = new Recorder(3);
  private final Recorder toolOverheadNanos = new Recorder(3);

  public WorkerMetrics(MeterRegistry registry) {
    framesForwarded = registry.counter("voicebus.worker.frames", "outcome", "forwarded");
    framesDuplicate = registry.counter("voicebus.worker.frames", "outcome", "duplicate");
    framesUnknownCall = registry.counter("voicebus.worker.frames", "outcome", "unknown_call");
    audioGaps = registry.counter("voicebus.worker.audio.gaps");
    reconnects = registry.counter("voicebus.worker.reconnects");
    toolTimeouts = registry.counter("voicebus.worker.tool.timeouts");
    bargeIns = registry.counter("voicebus.worker.barge_ins");
    inboundLatency =
        Timer.builder("voicebus.worker.audio.in.latency")
            .description("audio.in record timestamp to Realtime append")
            .publishPercentiles(0.5, 0.99, 0.999)
            .distributionStatisticExpiry(Duration.ofSeconds(20))
            .distributionStatisticBufferLength(2)
            .register(registry);
    toolOverhead =
        Timer.builder("voicebus.worker.tool.overhead")
            .description("ToolCall published to result sent to Realtime, minus the tool's run time")
            .publishPercentiles(0.5, 0.99, 0.999)
            .distributionStatisticExpiry(Duration.ofSeconds(20))
            .distributionStatisticBufferLength(2)
            .register(registry);
  }

  public void frameForwarded(Duration sinceProduced) {
    framesForwarded.increment();
    if (!sinceProduced.isNegative()) {
      inboundLatency.record(sinceProduced);
      inboundNanos.recordValue(sinceProduced.toNanos());
    }
  }

  /**
   * A tool result reached Realtime {@code sinceAsked} after the call; the tool ran {@code toolMs}.
   */
  public void toolRoundTrip(Duration sinceAsked, long toolMs) {
    Duration overhead = sinceAsked.minusMillis(toolMs);
    Duration kept = overhead.isNegative() ? Duration.ZERO : overhead;
    toolOverhead.record(kept);
    toolOverheadNanos.recordValue(kept.toNanos());
  }

  public void frameDuplicate() {
    framesDuplicate.increment();
  }

  public void frameUnknownCall() {
    framesUnknownCall.increment();
  }

  public void framesUnknownCall(int count) {
    framesUnknownCall.increment(count);
  }

  public void audioGap() {
    audioGaps.increment();
  }

  public void reconnect() {
    reconnects.increment();
  }

  public void toolTimeout() {
    toolTimeouts.increment();
  }

  public void bargeIn() {
    bargeIns.increment();
  }

  /** Interval histogram of the inbound latency in nanoseconds (each read starts a new interval). */
  public Recorder inboundLatencyRecorder() {
    return inboundNanos;
  }

  /** Interval histogram of the tool overhead in nanoseconds (each read starts a new interval). */
  public Recorder toolOverheadRecorder() {
    return toolOverheadNanos;
  }

  public Timer inboundLatency() {
    return inboundLatency;
  }
}
