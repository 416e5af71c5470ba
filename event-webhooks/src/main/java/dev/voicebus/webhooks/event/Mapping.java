package dev.voicebus.webhooks.event;

import java.util.List;
import java.util.Optional;

/**
 * What one source record becomes: the events to deliver (none for records no endpoint can subscribe
 * to, such as playback marks), or, for a record that should have become an event but cannot be
 * routed, why not (e.g. its tenant is unknown).
 */
public record Mapping(List<WebhookEvent> events, Optional<String> unroutable) {

  public static final Mapping NONE = new Mapping(List.of(), Optional.empty());

  public Mapping {
    events = List.copyOf(events);
  }

  public static Mapping of(WebhookEvent... events) {
    return new Mapping(List.of(events), Optional.empty());
  }

  public static Mapping unroutable(String reason) {
    return new Mapping(List.of(), Optional.of(reason));
  }
}
