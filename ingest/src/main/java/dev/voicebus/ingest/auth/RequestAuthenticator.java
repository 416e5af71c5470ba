package dev.voicebus.ingest.auth;

import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.schemas.auth.TokenFile;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Optional;

/**
 * Authenticates requests before any audio is accepted and says who the caller is: Twilio upgrades
 * by X-Twilio-Signature over the public URL, made with the auth token of one of the configured
 * accounts; every other endpoint by {@code Authorization: Bearer <token>} from {@code
 * ingest.api-token} or {@code ingest.tokens-file}. An endpoint with no credential configured
 * refuses everything. A browser cannot set headers on a WebSocket, so the plain stream also takes
 * the token as a subprotocol, {@code Sec-WebSocket-Protocol: voicebus.stream, bearer.<token>}; the
 * server answers with {@code voicebus.stream} only, never echoing the token.
 */
public final class RequestAuthenticator {

  private final TwilioAccounts twilio;
  private final TokenFile bearer;
  private final Optional<String> publicUrl;
  private final boolean tls;

  public RequestAuthenticator(IngestConfig config) {
    this.twilio = config.auth().twilio();
    this.bearer = config.auth().bearer();
    this.publicUrl = config.listen().publicUrl().map(u -> stripSlash(u.toString()));
    this.tls = config.listen().tlsCert().isPresent();
  }

  public AuthDecision twilio(HttpRequest request) {
    if (twilio.isEmpty()) {
      return AuthDecision.forbidden(
          "Twilio endpoint disabled: neither ingest.twilio.auth-token nor ingest.twilio.accounts-file is set");
    }
    String signature = request.headers().get(TwilioSignature.HEADER);
    if (signature == null) {
      return AuthDecision.unauthorized("missing " + TwilioSignature.HEADER);
    }
    String url = fullUrl(request);
    return twilio
        .signedBy(url, signature)
        .map(account -> AuthDecision.allowed(Caller.twilio(account)))
        .orElseGet(
            () -> AuthDecision.forbidden("invalid " + TwilioSignature.HEADER + " for " + url));
  }

  /** The subprotocol a browser offers with its token ({@code bearer.<token>}) on the stream. */
  public static final String STREAM_SUBPROTOCOL = "voicebus.stream";

  static final String BEARER_SUBPROTOCOL_PREFIX = "bearer.";

  public AuthDecision bearer(HttpRequest request) {
    if (bearer.isEmpty()) {
      return AuthDecision.forbidden(
          "endpoint disabled: neither ingest.api-token nor ingest.tokens-file is set");
    }
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    String token;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    } else {
      Optional<String> offered = subprotocolToken(request);
      if (offered.isEmpty()) {
        return AuthDecision.unauthorized("missing Authorization: Bearer token");
      }
      token = offered.get();
    }
    return bearer
        .authenticate(token)
        .map(grant -> AuthDecision.allowed(Caller.bearer(grant)))
        .orElseGet(() -> AuthDecision.forbidden("invalid bearer token"));
  }

  /**
   * The token of a {@code bearer.<token>} subprotocol, offered together with {@value
   * #STREAM_SUBPROTOCOL} (the one the server selects, so the token is never echoed back).
   */
  static Optional<String> subprotocolToken(HttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (header == null) {
      return Optional.empty();
    }
    boolean stream = false;
    String token = null;
    for (String part : header.split(",")) {
      String protocol = part.trim();
      if (protocol.equals(STREAM_SUBPROTOCOL)) {
        stream = true;
      } else if (protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX)) {
        token = protocol.substring(BEARER_SUBPROTOCOL_PREFIX.length());
      }
    }
    return stream && token != null && !token.isEmpty() ? Optional.of(token) : Optional.empty();
  }

  /** The URL Twilio signed: the configured public URL (or scheme + Host) plus path and query. */
  String fullUrl(HttpRequest request) {
    String base =
        publicUrl.orElseGet(
            () -> (tls ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST));
    return base + request.uri();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
