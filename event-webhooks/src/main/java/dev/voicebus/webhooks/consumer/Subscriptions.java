package dev.voicebus.webhooks.consumer;

import dev.voicebus.webhooks.config.Endpoint;
import dev.voicebus.webhooks.event.WebhookEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which endpoints receive an event: those of the event's tenant that subscribed to its type. An
 * endpoint never receives another tenant's events.
 */
public final class Subscriptions {

  private final Map<String, List<Endpoint>> byTenant = new HashMap<>();

  public Subscriptions(List<Endpoint> endpoints) {
    for (Endpoint endpoint : endpoints) {
      byTenant.computeIfAbsent(endpoint.tenantId(), t -> new ArrayList<>()).add(endpoint);
    }
  }

  public List<Endpoint> endpointsFor(WebhookEvent event) {
    return byTenant.getOrDefault(event.tenantId(), List.of()).stream()
        .filter(e -> e.wants(event.type()))
        .toList();
  }
}
