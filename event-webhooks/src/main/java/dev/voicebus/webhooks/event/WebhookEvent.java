package dev.voicebus.webhooks.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One call event ready to send: its stable {@code webhook-id}, its type, the call, tenant and agent
 * profile (null where unknown) it belongs to, when it happened, and the JSON body exactly as it is
 * signed and sent (the same bytes on every attempt).
 */
public record WebhookEvent(
    String id,
    EventType type,
    String callId,
    String tenantId,
    String agentProfile,
    Instant occurredAt,
    String body,
    SourceRef source) {

  public WebhookEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(source, "source");
  }

  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
