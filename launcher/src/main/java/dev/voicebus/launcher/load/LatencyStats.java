package dev.voicebus.launcher.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency, in milliseconds, from an HdrHistogram; {@code count < 0} means it
 * could not be measured.
 */
public record LatencyStats(
    long count, double p50, double p90, double p99, double p999, double max) {

  /** Not measurable from where the load test stands. */
  public static final LatencyStats UNAVAILABLE = new LatencyStats(-1, 0, 0, 0, 0, 0);

  /** From a histogram of nanoseconds. */
  public static LatencyStats ofNanos(Histogram h) {
    return new LatencyStats(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  public boolean available() {
    return count >= 0;
  }

  /** {@code p50 1.2 | p90 ... (n samples)} or "unavailable". */
  public String describe() {
    if (!available()) {
      return "unavailable";
    }
    return String.format(
        Locale.ROOT,
        "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms  (%d samples)",
        p50,
        p90,
        p99,
        p999,
        max,
        count);
  }
}
