package dev.voicebus.realtime.client;

/**
 * The server answered the WebSocket upgrade with an HTTP status other than 101, e.g. 401 (bad key),
 * 404 (unknown model or path) or 429 (rate limit or quota). The message names the status, the URL
 * and the start of the response body (OpenAI sends a JSON error), with anything that looks like a
 * key redacted.
 */
public final class RealtimeHandshakeException extends RealtimeConnectException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String body;

  public RealtimeHandshakeException(String url, int status, String reasonPhrase, String body) {
    super(url, describe(status, reasonPhrase, body), null);
    this.status = status;
    this.body = body;
  }

  /** The HTTP status code of the failed upgrade. */
  public int status() {
    return status;
  }

  /** The start of the response body (redacted), or an empty string. */
  public String body() {
    return body;
  }

  /** True for statuses that retrying with the same key cannot fix (401, 403, 404). */
  public boolean isFatal() {
    return status == 401 || status == 403 || status == 404;
  }

  private static String describe(int status, String reasonPhrase, String body) {
    String text = "HTTP " + status + " " + reasonPhrase + " on WebSocket upgrade";
    return body == null || body.isEmpty() ? text : text + ": " + body;
  }
}
