package dev.voicebus.observability.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Latency timers exported as Prometheus histograms with fixed bucket bounds ({@code
 * _seconds_bucket{le=...}}), so percentiles are computed with {@code histogram_quantile} over the
 * buckets summed across every instance, rather than as per-pod percentiles that cannot be averaged.
 * The bounds bracket the project's targets (10, 15 and 25 ms p99) finely and reach 30 s.
 */
public final class LatencyTimers {

  /** The bucket upper bounds every Voicebus latency histogram shares. */
  public static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(15),
    Duration.ofMillis(20),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofMillis(1000),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private LatencyTimers() {}

  /** A timer builder for {@code name} with the shared histogram buckets. */
  public static Timer.Builder builder(String name) {
    return Timer.builder(name).serviceLevelObjectives(BUCKETS);
  }
}
