package dev.voicebus.realtime.sandbox.protocol;

import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import dev.voicebus.realtime.sandbox.scenario.ScenarioLibrary;
import java.time.Duration;
import java.util.Objects;

/**
 * What every session of a sandbox shares: scenarios, default faults, audio pacing and the caps that
 * keep per-session memory small.
 *
 * @param scenarios the scenario library
 * @param faults faults applied unless the session's scenario brings its own
 * @param pacing how agent audio is streamed
 * @param recordCap maximum entries per list in a {@link SessionRecord}
 * @param maxItems maximum conversation items kept per session
 * @param lifetime value reported in {@code expires_at} (OpenAI: 60 minutes)
 * @param tap observer of the serialized server events
 */
public record SessionOptions(
    ScenarioLibrary scenarios,
    FaultConfig faults,
    ResponsePacing pacing,
    int recordCap,
    int maxItems,
    Duration lifetime,
    ServerEventTap tap) {
  public SessionOptions {
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(scenarios, "scenarios");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(pacing, "pacing");
    Objects.requireNonNull(lifetime, "lifetime");
    if (recordCap < 0 || maxItems < 1) {
      throw new IllegalArgumentException(
          "recordCap must be >= 0 and maxItems >= 1, got " + recordCap + ", " + maxItems);
    }
  }
}
