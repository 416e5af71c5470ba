package dev.voicebus.schemas.supervision;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff between restarts: {@code initial}, doubling up to {@code max}, each
 * delay drawn from 80-100% of its step so that restarting instances do not hit the broker in step.
 * Not thread-safe; one per supervisor.
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private int failures;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "Backoff initial=" + initial + ", max=" + max + " is invalid: use 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
  }

  /** The delay before the next attempt; each call doubles the step until {@code max}. */
  public Duration next() {
    long step = initial.toMillis() << Math.min(failures, 20);
    failures++;
    long capped = Math.min(step, max.toMillis());
    long jittered = capped - ThreadLocalRandom.current().nextLong(capped / 5 + 1);
    return Duration.ofMillis(Math.max(1, jittered));
  }

  /** Starts again from {@code initial} (after an attempt that ran well). */
  public void reset() {
    failures = 0;
  }

  public Duration max() {
    return max;
  }
}
