package dev.voicebus.ingest.auth;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The outcome of authenticating an HTTP request or WebSocket upgrade. */
public record AuthDecision(HttpResponseStatus status, String reason) {

  public static final AuthDecision ALLOWED = new AuthDecision(HttpResponseStatus.OK, "ok");

  public boolean allowed() {
    return status.equals(HttpResponseStatus.OK);
  }

  public static AuthDecision unauthorized(String reason) {
    return new AuthDecision(HttpResponseStatus.UNAUTHORIZED, reason);
  }

  public static AuthDecision forbidden(String reason) {
    return new AuthDecision(HttpResponseStatus.FORBIDDEN, reason);
  }
}
