package dev.voicebus.realtime.event;

/**
 * The error object of an {@code error} event (and of failed transcriptions/responses). {@code type}
 * is e.g. {@code invalid_request_error}; {@code code} e.g. {@code invalid_value}; {@code param}
 * names the offending field; {@code eventId} is the client event that caused it.
 */
public record RealtimeError(
    String type, String code, String message, String param, String eventId) {

  /** An {@code invalid_request_error}. */
  public static RealtimeError invalidRequest(
      String code, String message, String param, String eventId) {
    return new RealtimeError("invalid_request_error", code, message, param, eventId);
  }
}
