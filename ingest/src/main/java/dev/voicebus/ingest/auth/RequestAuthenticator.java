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
 * refuses everything.
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

  public AuthDecision bearer(HttpRequest request) {
    if (bearer.isEmpty()) {
      return AuthDecision.forbidden(
          "endpoint disabled: neither ingest.api-token nor ingest.tokens-file is set");
    }
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return AuthDecision.unauthorized("missing Authorization: Bearer token");
    }
    return bearer
        .authenticate(header.substring(7).trim())
        .map(grant -> AuthDecision.allowed(Caller.bearer(grant)))
        .orElseGet(() -> AuthDecision.forbidden("invalid bearer token"));
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
