package dev.voicebus.redaction.crypto;

/**
 * A sealed value could not be opened: malformed, sealed with a key this process does not hold,
 * altered, or sealed with a different key under the same id. The message names the key id and the
 * field, never the value.
 */
public final class SealedValueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SealedValueException(String message) {
    super(message);
  }

  public SealedValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
