package dev.voicebus.ingest.twilio.rest;

/**
 * A Twilio REST request that did not succeed: the HTTP status (0 when no response arrived: refused
 * connection, timeout), Twilio's error code from its JSON body ({@code {"code":21211,"message":
 * "..."}}, 0 when absent) and its message. Never carries credentials.
 */
public final class TwilioApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int code;

  public TwilioApiException(int status, int code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status, or 0 when Twilio did not answer. */
  public int status() {
    return status;
  }

  /** Twilio's error code (see twilio.com/docs/api/errors), or 0. */
  public int code() {
    return code;
  }

  /** Whether Twilio answered at all. */
  public boolean answered() {
    return status > 0;
  }
}
