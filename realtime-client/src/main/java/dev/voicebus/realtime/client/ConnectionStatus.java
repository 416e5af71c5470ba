package dev.voicebus.realtime.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a {@link RealtimeClient}'s endpoint last accepted a connection and last failed one (TCP,
 * TLS, or an upgrade answered with an HTTP error such as 401), with the failure's message (keys
 * redacted).
 */
public record ConnectionStatus(
    Optional<Instant> lastSucceeded, Optional<Instant> lastFailed, Optional<String> lastFailure) {

  /** No connection attempted yet. */
  public static final ConnectionStatus NONE =
      new ConnectionStatus(Optional.empty(), Optional.empty(), Optional.empty());

  ConnectionStatus succeeded(Instant at) {
    return new ConnectionStatus(Optional.of(at), lastFailed, lastFailure);
  }

  ConnectionStatus failed(Instant at, String message) {
    return new ConnectionStatus(lastSucceeded, Optional.of(at), Optional.of(message));
  }

  /** True when the latest attempt failed (a failure and no success since). */
  public boolean lastAttemptFailed() {
    return lastFailed.isPresent()
        && (lastSucceeded.isEmpty() || lastFailed.get().isAfter(lastSucceeded.get()));
  }

  /** True when a connection succeeded within {@code window} before {@code now}. */
  public boolean succeededWithin(Duration window, Instant now) {
    return lastSucceeded.map(at -> !at.isBefore(now.minus(window))).orElse(false);
  }
}
