package dev.voicebus.telephony.twilio;

/**
 * A Twilio Media Streams message that cannot be decoded. The message names what is wrong and where
 * ({@code media.payload is not valid base64}, {@code start.callSid is required}), short enough for
 * a WebSocket close reason; {@link #problem()} classifies it and {@link #event()} is the message's
 * event as far as it was read (empty if unknown), so a server can count and answer each kind.
 */
public final class TwilioMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of defect the message has. */
  public enum Problem {
    /** Not JSON, truncated, or not a JSON object. */
    MALFORMED_JSON,
    /** A numeric field that is neither a number nor a string of digits. */
    NOT_A_NUMBER,
    /** A payload that is not valid base64. */
    BAD_BASE64,
    /** A field the event needs is absent or empty. */
    MISSING_FIELD,
    /** A field of the wrong JSON type (an object where a string belongs, ...). */
    WRONG_TYPE
  }

  private final Problem problem;
  private final String event;

  TwilioMessageException(Problem problem, String event, String message) {
    super(message);
    this.problem = problem;
    this.event = event;
  }

  public Problem problem() {
    return problem;
  }

  /** The event of the bad message, or empty if it was not read before the defect. */
  public String event() {
    return event;
  }
}
