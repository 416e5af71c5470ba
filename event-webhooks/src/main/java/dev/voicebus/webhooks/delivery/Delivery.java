package dev.voicebus.webhooks.delivery;

import dev.voicebus.webhooks.config.Endpoint;
import dev.voicebus.webhooks.event.SourceRef;
import dev.voicebus.webhooks.event.WebhookEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One event on its way to one endpoint: the attempts made so far and how the last one ended. The
 * {@code webhook-id} is the event's, so it is the same on every attempt and after a restart.
 * Confined to the {@link Dispatcher}'s thread once submitted.
 */
public final class Delivery {

  private final WebhookEvent event;
  private final Endpoint endpoint;
  private final long generation;
  private final long createdNanos = System.nanoTime();
  private int attempts;
  private Instant firstAttemptAt;
  private OptionalInt lastStatus = OptionalInt.empty();
  private String lastError = "";
  private boolean cancelled;

  /**
   * @param generation the assignment of the source partition this delivery belongs to; a settlement
   *     from an earlier assignment is ignored
   */
  public Delivery(WebhookEvent event, Endpoint endpoint, long generation) {
    this.event = event;
    this.endpoint = endpoint;
    this.generation = generation;
  }

  public WebhookEvent event() {
    return event;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public String callId() {
    return event.callId();
  }

  public SourceRef source() {
    return event.source();
  }

  public long generation() {
    return generation;
  }

  long createdNanos() {
    return createdNanos;
  }

  void attempted(Instant now) {
    attempts++;
    if (firstAttemptAt == null) {
      firstAttemptAt = now;
    }
  }

  void failed(AttemptResult result) {
    lastStatus = result.status();
    lastError = result.describe();
  }

  void failed(String error) {
    lastError = error;
  }

  public int attempts() {
    return attempts;
  }

  public Optional<Instant> firstAttemptAt() {
    return Optional.ofNullable(firstAttemptAt);
  }

  public OptionalInt lastStatus() {
    return lastStatus;
  }

  public String lastError() {
    return lastError;
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public String toString() {
    return event.type() + " " + event.id() + " of call " + event.callId() + " to " + endpoint.id();
  }
}
