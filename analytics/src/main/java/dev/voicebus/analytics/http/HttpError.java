package dev.voicebus.analytics.http;

/**
 * A request that cannot be answered as asked: the HTTP status and the reason shown to the client.
 */
final class HttpError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  HttpError(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static HttpError badRequest(String reason) {
    return new HttpError(400, reason);
  }

  static HttpError notFound(String reason) {
    return new HttpError(404, reason);
  }

  static HttpError unavailable(String reason) {
    return new HttpError(503, reason);
  }
}
