package dev.voicebus.ingest.auth;

import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.ingest.config.Secret;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates requests before any audio is accepted: Twilio upgrades by X-Twilio-Signature over
 * the public URL, every other endpoint by {@code Authorization: Bearer <ingest.api-token>}. An
 * endpoint whose credential is not configured refuses everything.
 */
public final class RequestAuthenticator {

  private final Optional<Secret> twilioToken;
  private final Optional<Secret> apiToken;
  private final Optional<String> publicUrl;
  private final boolean tls;

  public RequestAuthenticator(IngestConfig config) {
    this.twilioToken = config.auth().twilioAuthToken();
    this.apiToken = config.auth().apiToken();
    this.publicUrl = config.listen().publicUrl().map(u -> stripSlash(u.toString()));
    this.tls = config.listen().tlsCert().isPresent();
  }

  public AuthDecision twilio(HttpRequest request) {
    if (twilioToken.isEmpty()) {
      return AuthDecision.forbidden("Twilio endpoint disabled: ingest.twilio.auth-token not set");
    }
    String signature = request.headers().get(TwilioSignature.HEADER);
    if (signature == null) {
      return AuthDecision.unauthorized("missing " + TwilioSignature.HEADER);
    }
    String url = fullUrl(request);
    if (!TwilioSignature.verify(twilioToken.get().reveal(), url, Map.of(), signature)) {
      return AuthDecision.forbidden("invalid " + TwilioSignature.HEADER + " for " + url);
    }
    return AuthDecision.ALLOWED;
  }

  public AuthDecision bearer(HttpRequest request) {
    if (apiToken.isEmpty()) {
      return AuthDecision.forbidden("endpoint disabled: ingest.api-token not set");
    }
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return AuthDecision.unauthorized("missing Authorization: Bearer token");
    }
    if (!apiToken.get().matches(header.substring(7).trim())) {
      return AuthDecision.forbidden("invalid bearer token");
    }
    return AuthDecision.ALLOWED;
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
