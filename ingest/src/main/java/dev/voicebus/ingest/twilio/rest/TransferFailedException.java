package dev.voicebus.ingest.twilio.rest;

/**
 * A transfer the carrier did not carry out; the message is a sentence for the agent (it becomes the
 * transfer tool's error result), the cause says what Twilio answered.
 */
public final class TransferFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TransferFailedException(String sentence, Throwable cause) {
    super(sentence, cause);
  }
}
