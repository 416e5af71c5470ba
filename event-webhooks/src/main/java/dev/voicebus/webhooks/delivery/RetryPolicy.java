package dev.voicebus.webhooks.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * When to try an event again after an attempt that may succeed later (a network error, a timeout,
 * 429, 5xx): exponential backoff from {@code initialBackoff}, doubling per attempt up to {@code
 * maxBackoff}, with jitter (each wait drawn from half to all of its step, so endpoints recovering
 * from an outage are not hit by every instance in step); a {@code Retry-After} from the endpoint is
 * honoured when it asks for longer, up to {@code maxBackoff}. After {@code maxAttempts} attempts
 * the event is dead-lettered.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "event-webhooks.retry.max-attempts=" + maxAttempts + " is invalid: use 1 or more");
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "event-webhooks.retry.initial-backoff="
              + initialBackoff
              + " is invalid: use more than 0");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "event-webhooks.retry.max-backoff="
              + maxBackoff
              + " is invalid: use at least event-webhooks.retry.initial-backoff ("
              + initialBackoff
              + ")");
    }
  }

  /** Whether an event that has had {@code attempts} attempts may not be tried again. */
  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }

  /**
   * The wait after attempt number {@code attempts} (from 1) failed.
   *
   * @param retryAfter what the endpoint asked for, if anything
   * @param random draws a number in {@code [0, bound)} for the jitter
   */
  public Duration backoff(int attempts, Optional<Duration> retryAfter, LongUnaryOperator random) {
    long initial = initialBackoff.toMillis();
    long step = Math.min(maxBackoff.toMillis(), initial << Math.min(Math.max(attempts - 1, 0), 30));
    long half = step / 2;
    long wait = half + random.applyAsLong(step - half + 1);
    long asked = retryAfter.map(Duration::toMillis).orElse(0L);
    return Duration.ofMillis(Math.min(Math.max(wait, asked), maxBackoff.toMillis()));
  }
}
