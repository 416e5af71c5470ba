package dev.voicebus.realtime.event;

/**
 * A client event that is not valid JSON, has an unknown or missing {@code type}, an unknown field,
 * a field of the wrong type or a missing required field. Carries what a server needs to answer with
 * an {@code invalid_request_error}: {@link #code()} (e.g. {@code unknown_parameter}), {@link
 * #param()} (e.g. {@code session.type}) and the offending {@link #eventId()} when it could be read.
 */
public final class InvalidEventException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final String param;
  private final String eventId;

  public InvalidEventException(String code, String param, String eventId, String message) {
    super(message);
    this.code = code;
    this.param = param;
    this.eventId = eventId;
  }

  /** Error code as the Realtime API uses it, e.g. {@code missing_required_parameter}. */
  public String code() {
    return code;
  }

  /** Dotted path of the offending field (e.g. {@code item.content[0].type}), or null. */
  public String param() {
    return param;
  }

  /** The {@code event_id} of the offending client event, or null. */
  public String eventId() {
    return eventId;
  }

  /** This problem as the error object of an {@code error} event. */
  public RealtimeError toRealtimeError() {
    return RealtimeError.invalidRequest(code, getMessage(), param, eventId);
  }
}
