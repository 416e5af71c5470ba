package dev.voicebus.realtime.webhook;

/**
 * A webhook request failed verification. {@link #reason()} tells why in a way a receiver can map to
 * an HTTP status ({@link Reason#malformed()}: 400, else 401); the message says it in words and
 * never contains the secret.
 */
public final class WebhookVerificationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a webhook was refused. */
  public enum Reason {
    /** A {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is missing. */
    MISSING_HEADER(true),
    /** {@code webhook-id} is longer than 256 characters or holds control characters. */
    BAD_ID(true),
    /** {@code webhook-timestamp} is not whole Unix seconds. */
    BAD_TIMESTAMP(true),
    /** {@code webhook-signature} holds no {@code v1,<base64>} entry. */
    NO_SIGNATURE(true),
    /** The timestamp is older than the tolerance (a replay, or a very late retry). */
    TIMESTAMP_TOO_OLD(false),
    /** The timestamp is further in the future than the tolerance. */
    TIMESTAMP_TOO_NEW(false),
    /** No signature matches the body under this secret. */
    SIGNATURE_MISMATCH(false);

    private final boolean malformed;

    Reason(boolean malformed) {
      this.malformed = malformed;
    }

    /** True when the request is malformed (HTTP 400), false when it is not authentic (401). */
    public boolean malformed() {
      return malformed;
    }
  }

  private final Reason reason;

  public WebhookVerificationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
