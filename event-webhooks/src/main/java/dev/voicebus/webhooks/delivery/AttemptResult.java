package dev.voicebus.webhooks.delivery;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * What one HTTP attempt came to, decided from its status or failure alone: any 2xx is {@link
 * Delivered}; a network error, a timeout, 408, 429 or a 5xx is {@link Retryable} (with the
 * endpoint's {@code Retry-After}, if it sent one); any other status (other 4xx, 3xx: redirects are
 * not followed) is {@link Rejected} and dead-lettered at once, because sending the same request
 * again would get the same answer.
 */
public sealed interface AttemptResult {

  /** HTTP status, if a response came. */
  OptionalInt status();

  /** For logs and dead letters: e.g. {@code HTTP 503} or {@code timeout after 10s}. */
  String describe();

  record Delivered(int code) implements AttemptResult {
    @Override
    public OptionalInt status() {
      return OptionalInt.of(code);
    }

    @Override
    public String describe() {
      return "HTTP " + code;
    }
  }

  record Retryable(OptionalInt status, String describe, Optional<Duration> retryAfter)
      implements AttemptResult {}

  record Rejected(int code) implements AttemptResult {
    @Override
    public OptionalInt status() {
      return OptionalInt.of(code);
    }

    @Override
    public String describe() {
      return "HTTP " + code + " (not retried)";
    }
  }

  /** The result of a response with {@code status} and its {@code Retry-After} header, if any. */
  static AttemptResult ofResponse(int status, Optional<String> retryAfter, Instant now) {
    if (status >= 200 && status < 300) {
      return new Delivered(status);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new Retryable(
          OptionalInt.of(status),
          "HTTP " + status,
          retryAfter.flatMap(v -> parseRetryAfter(v, now)));
    }
    return new Rejected(status);
  }

  /** The result of an attempt that got no response. */
  static AttemptResult ofFailure(Throwable failure, Duration timeout) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return new Retryable(
          OptionalInt.empty(), "timeout after " + timeout.toMillis() + " ms", Optional.empty());
    }
    String kind = cause instanceof IOException ? "connection error" : "request failed";
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return new Retryable(
        OptionalInt.empty(),
        kind + " (" + cause.getClass().getSimpleName() + message + ")",
        Optional.empty());
  }

  /**
   * {@code Retry-After} as delay-seconds ({@code 120}) or an HTTP date ({@code Wed, 21 Oct 2026
   * 07:28:00 GMT}); empty when it is neither or lies in the past.
   */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Optional.empty() : Optional.of(wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
