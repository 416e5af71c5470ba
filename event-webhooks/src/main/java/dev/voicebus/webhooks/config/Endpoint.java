package dev.voicebus.webhooks.config;

import dev.voicebus.webhooks.delivery.WebhookSigner;
import dev.voicebus.webhooks.event.EventType;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One subscribed endpoint of the webhooks file: where a tenant's events of the chosen types are
 * sent, signed with its secrets, with its request timeout and how many requests it gets at once.
 * Its {@code toString} never shows a secret.
 *
 * @param id unique name of the endpoint in the file (logs, metrics, the dead-letter topic)
 * @param tenantId the tenant whose calls' events the endpoint receives, and no other's
 * @param url http(s) URL the events are POSTed to
 * @param signer signs with the endpoint's secret(s)
 * @param events the event types it receives
 * @param description what it is, for people
 * @param timeout how long one attempt may take
 * @param maxConcurrency requests in flight to it at once
 */
public record Endpoint(
    String id,
    String tenantId,
    URI url,
    WebhookSigner signer,
    Set<EventType> events,
    Optional<String> description,
    Duration timeout,
    int maxConcurrency) {

  public Endpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(signer, "signer");
    events = Set.copyOf(events);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(timeout, "timeout");
  }

  public boolean wants(EventType type) {
    return events.contains(type);
  }

  /** The URL without user info or query, which may hold credentials: for logs and dead letters. */
  public String safeUrl() {
    String port = url.getPort() < 0 ? "" : ":" + url.getPort();
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getScheme() + "://" + url.getHost() + port + path;
  }
}
