package dev.voicebus.ingest.server;

/**
 * A peer broke the protocol of its endpoint: carries the WebSocket close code and a reason that
 * names what was wrong, e.g. "media.payload is not valid base64".
 */
public final class ProtocolException extends RuntimeException {

  private final int closeCode;
  private final String kind;

  public ProtocolException(int closeCode, String kind, String reason) {
    super(reason);
    this.closeCode = closeCode;
    this.kind = kind;
  }

  public int closeCode() {
    return closeCode;
  }

  /** A short metric label such as {@code malformed-json} or {@code bad-base64}. */
  public String kind() {
    return kind;
  }
}
