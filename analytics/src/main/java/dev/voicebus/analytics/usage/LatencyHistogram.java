package dev.voicebus.analytics.usage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The turn-latency histogram of a usage window: counts per bucket, keyed by the bucket's upper
 * bound in ms (25 ms wide up to 2 s, 250 ms wide up to 10 s, then {@code inf}). Windows add up by
 * adding counts, which percentiles of samples never could; percentiles are read back by linear
 * interpolation within the bucket, so they are accurate to the bucket width.
 */
public final class LatencyHistogram {

  public static final String OVERFLOW = "inf";
  static final long FINE_STEP = 25;
  static final long FINE_LIMIT = 2000;
  static final long COARSE_STEP = 250;
  static final long COARSE_LIMIT = 10_000;

  private LatencyHistogram() {}

  /** The bucket key of a latency of {@code ms}. */
  public static String bucket(long ms) {
    long value = Math.max(0, ms);
    if (value <= FINE_LIMIT) {
      return String.valueOf(roundUp(value, FINE_STEP));
    }
    if (value <= COARSE_LIMIT) {
      return String.valueOf(roundUp(value, COARSE_STEP));
    }
    return OVERFLOW;
  }

  private static long roundUp(long value, long step) {
    return value == 0 ? step : ((value + step - 1) / step) * step;
  }

  /** Adds {@code ms} to {@code buckets}. */
  public static void record(Map<String, Long> buckets, long ms) {
    buckets.merge(bucket(ms), 1L, Long::sum);
  }

  /**
   * The {@code quantile} (0 to 1) of the histogram, or null when it is empty. In the overflow
   * bucket the answer is its lower bound (10 s).
   */
  public static Long quantile(Map<String, Long> buckets, double quantile) {
    TreeMap<Long, Long> ordered = new TreeMap<>();
    long total = 0;
    for (var entry : buckets.entrySet()) {
      long upper =
          entry.getKey().equals(OVERFLOW) ? Long.MAX_VALUE : Long.parseLong(entry.getKey());
      ordered.merge(upper, entry.getValue(), Long::sum);
      total += entry.getValue();
    }
    if (total == 0) {
      return null;
    }
    double rank = quantile * total;
    long seen = 0;
    for (var entry : ordered.entrySet()) {
      long upper = entry.getKey();
      long count = entry.getValue();
      if (seen + count >= rank) {
        if (upper == Long.MAX_VALUE) {
          return COARSE_LIMIT;
        }
        long lower = upper - (upper <= FINE_LIMIT ? FINE_STEP : COARSE_STEP);
        double within = count == 0 ? 1 : (rank - seen) / count;
        return Math.round(lower + within * (upper - lower));
      }
      seen += count;
    }
    return COARSE_LIMIT;
  }
}
