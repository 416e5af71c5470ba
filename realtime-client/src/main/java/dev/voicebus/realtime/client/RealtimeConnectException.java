package dev.voicebus.realtime.client;

/**
 * A Realtime connection could not be established (TCP, TLS or WebSocket handshake). The message
 * names the URL (which never contains the API key) and the reason.
 */
public class RealtimeConnectException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String url;

  public RealtimeConnectException(String url, String reason, Throwable cause) {
    super("Realtime connection to " + url + " failed: " + reason, cause);
    this.url = url;
  }

  /** The URL that was dialled. */
  public String url() {
    return url;
  }
}
