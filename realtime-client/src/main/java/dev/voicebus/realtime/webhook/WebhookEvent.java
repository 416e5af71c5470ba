package dev.voicebus.realtime.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An event OpenAI posts to a project's webhook: {@code {"object":"event", "id":"evt_...",
 * "type":..., "created_at":..., "data":{...}}}. {@link CallIncoming} is the one SIP calls need;
 * every other type is {@link Other}, so a new event never breaks a receiver.
 */
public sealed interface WebhookEvent permits WebhookEvent.CallIncoming, WebhookEvent.Other {

  /** The event type of an incoming SIP call. */
  String CALL_INCOMING = "realtime.call.incoming";

  /** The event id ({@code evt_...}), not the delivery's {@code webhook-id}. */
  String id();

  String type();

  /** Unix seconds. */
  long createdAt();

  /**
   * Parses a verified request body.
   *
   * @throws IllegalArgumentException when it is not such an event, naming what is missing
   */
  static WebhookEvent parse(byte[] json) {
    return WebhookEventJson.parse(json);
  }

  /** One SIP header of the call's INVITE, as OpenAI passes it on. */
  record SipHeader(String name, String value) {
    public SipHeader {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code realtime.call.incoming}: a SIP call reached the project's SIP endpoint and rings until
   * it is accepted, rejected or times out.
   *
   * @param callId OpenAI's call id ({@code rtc_...}) for the calls API and the sideband socket
   * @param sipHeaders the INVITE's headers (at least From, To and Call-ID), in order
   */
  record CallIncoming(String id, long createdAt, String callId, List<SipHeader> sipHeaders)
      implements WebhookEvent {

    public CallIncoming {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(callId, "callId");
      sipHeaders = List.copyOf(sipHeaders);
    }

    @Override
    public String type() {
      return CALL_INCOMING;
    }

    /** The first header called {@code name} (SIP header names are case-insensitive). */
    public Optional<String> header(String name) {
      String wanted = name.toLowerCase(Locale.ROOT);
      return sipHeaders.stream()
          .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(wanted))
          .map(SipHeader::value)
          .findFirst();
    }

    /** The event as OpenAI sends it, {@code object} first. */
    public String toJson() {
      return WebhookEventJson.write(this);
    }
  }

  /** Any other event type; receivers acknowledge it and move on. */
  record Other(String id, String type, long createdAt) implements WebhookEvent {}
}
