package dev.voicebus.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  void doublesFromTheInitialBackoffUpToTheMaximum() {
    // The top of each jitter range (the random draw at its bound - 1).
    assertThat(policy.backoff(1, Optional.empty(), b -> b - 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(2, Optional.empty(), b -> b - 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(3, Optional.empty(), b -> b - 1)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoff(5, Optional.empty(), b -> b - 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(40, Optional.empty(), b -> b - 1)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterDrawsFromHalfToAllOfTheStep() {
    assertThat(policy.backoff(3, Optional.empty(), b -> 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(3, Optional.empty(), b -> b / 2))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void honoursALongerRetryAfterUpToTheMaximum() {
    assertThat(policy.backoff(1, Optional.of(Duration.ofSeconds(7)), b -> 0))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.backoff(1, Optional.of(Duration.ofHours(1)), b -> 0))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(4, Optional.of(Duration.ofMillis(10)), b -> b - 1))
        .as("a shorter Retry-After does not shorten the backoff")
        .isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void isExhaustedAfterTheLastAttempt() {
    assertThat(policy.exhausted(4)).isFalse();
    assertThat(policy.exhausted(5)).isTrue();
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("event-webhooks.retry.max-attempts=0");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("event-webhooks.retry.max-backoff");
  }

  @Test
  void classifiesResponsesAndFailures() {
    Instant now = Instant.parse("2026-11-24T12:00:00Z");
    assertThat(AttemptResult.ofResponse(204, Optional.empty(), now))
        .isInstanceOf(AttemptResult.Delivered.class);
    for (int status : new int[] {500, 502, 503, 429, 408}) {
      assertThat(AttemptResult.ofResponse(status, Optional.empty(), now))
          .as("%s", status)
          .isInstanceOf(AttemptResult.Retryable.class);
    }
    for (int status : new int[] {400, 401, 403, 404, 410, 301}) {
      assertThat(AttemptResult.ofResponse(status, Optional.empty(), now))
          .as("%s", status)
          .isInstanceOf(AttemptResult.Rejected.class)
          .extracting(AttemptResult::status)
          .isEqualTo(OptionalInt.of(status));
    }
    assertThat(
            AttemptResult.ofFailure(
                new java.net.ConnectException("refused"), Duration.ofSeconds(1)))
        .isInstanceOf(AttemptResult.Retryable.class)
        .extracting(AttemptResult::describe)
        .asString()
        .contains("connection error");
    assertThat(
            AttemptResult.ofFailure(
                new java.util.concurrent.CompletionException(
                    new java.net.http.HttpTimeoutException("request timed out")),
                Duration.ofSeconds(2)))
        .extracting(AttemptResult::describe)
        .isEqualTo("timeout after 2000 ms");
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-11-24T12:00:00Z");
    assertThat(AttemptResult.parseRetryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(AttemptResult.parseRetryAfter("Tue, 24 Nov 2026 12:00:30 GMT", now))
        .contains(Duration.ofSeconds(30));
    assertThat(AttemptResult.parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", now)).isEmpty();
    assertThat(AttemptResult.parseRetryAfter("soon", now)).isEmpty();
    var retryable = (AttemptResult.Retryable) AttemptResult.ofResponse(503, Optional.of("3"), now);
    assertThat(retryable.retryAfter()).contains(Duration.ofSeconds(3));
  }
}
