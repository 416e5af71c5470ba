package dev.voicebus.launcher.load;

import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import java.util.List;
import java.util.Optional;

/**
 * What the system under load can tell about itself: its internal latencies and, when the Realtime
 * side is a local sandbox, the audio each session received. A running deployment reached only by
 * URL knows none of this ({@link #EXTERNAL}).
 */
public interface LoadProbe {

  /** Nothing internal is visible (a deployment reached only through its URL). */
  LoadProbe EXTERNAL =
      new LoadProbe() {
        @Override
        public String target() {
          return "running ingest (external)";
        }
      };

  /** A short name of the system under test. */
  String target();

  /**
   * Discards the audio latencies recorded so far (before the run, and again when the warm-up ends).
   * Tool round trips are kept from the start: each call makes its tool call early, so a window
   * after the warm-up would hold none.
   */
  default void reset() {}

  /** Agent audio chunks delivered to callers so far (for progress), or -1 if unknown. */
  default long agentChunks() {
    return -1;
  }

  /** Caller frame received -> sent on the Realtime socket. */
  default LatencyStats inbound() {
    return LatencyStats.UNAVAILABLE;
  }

  /** Agent audio received from Realtime -> written to the caller's socket. */
  default LatencyStats outbound() {
    return LatencyStats.UNAVAILABLE;
  }

  /** Function call received -> output sent to Realtime, minus the tool's own run time. */
  default LatencyStats toolOverhead() {
    return LatencyStats.UNAVAILABLE;
  }

  /** Every Realtime session of the run, when the Realtime side is a local sandbox. */
  default Optional<List<SessionRecord>> realtimeSessions() {
    return Optional.empty();
  }
}
