package dev.voicebus.worker.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff for reconnecting a Realtime session: {@code min(initial *
 * 2^(attempt-1), max)} times a random factor in [0.75, 1], as the OpenAI SDKs do, for at most
 * {@code maxAttempts} attempts in a row.
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(8), 8);

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "reconnect backoff needs 0 < initial <= max and maxAttempts >= 1, got "
              + initial
              + ", "
              + max
              + ", "
              + maxAttempts);
    }
  }

  /** The delay before attempt {@code attempt} (1-based). */
  public Duration delay(int attempt) {
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.75, 1.0)));
  }
}
