package dev.voicebus.ingest.auth;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * The outcome of authenticating an HTTP request or WebSocket upgrade: refused with a status and a
 * reason, or allowed with the {@link Caller} the credential proves.
 */
public record AuthDecision(HttpResponseStatus status, String reason, Optional<Caller> caller) {

  public boolean allowed() {
    return caller.isPresent();
  }

  public static AuthDecision allowed(Caller caller) {
    return new AuthDecision(HttpResponseStatus.OK, "ok", Optional.of(caller));
  }

  public static AuthDecision unauthorized(String reason) {
    return new AuthDecision(HttpResponseStatus.UNAUTHORIZED, reason, Optional.empty());
  }

  public static AuthDecision forbidden(String reason) {
    return new AuthDecision(HttpResponseStatus.FORBIDDEN, reason, Optional.empty());
  }
}
