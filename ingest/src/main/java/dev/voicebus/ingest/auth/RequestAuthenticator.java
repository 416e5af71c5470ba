package dev.voicebus.ingest.auth;

import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.ingest.server.LoggedUri;
import dev.voicebus.ingest.server.PublicUrls;
import dev.voicebus.ingest.twilio.voice.StreamTokens;
import dev.voicebus.schemas.auth.TokenFile;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates requests before any audio is accepted and says who the caller is: Twilio requests
 * by X-Twilio-Signature over the public URL as Twilio signs it ({@code wss://} for the Media
 * Streams upgrade, {@code https://} plus the form parameters for the voice webhook), made with the
 * auth token of one of the configured accounts; when the voice webhook is on, a stream must also
 * present the single-use stream token its TwiML carried. Every other endpoint authenticates by
 * {@code Authorization: Bearer <token>} from {@code ingest.api-token} or {@code
 * ingest.tokens-file}. An endpoint with no credential configured refuses everything. A browser
 * cannot set headers on a WebSocket, so the plain stream also takes the token as a subprotocol,
 * {@code Sec-WebSocket-Protocol: voicebus.stream, bearer.<token>}; the server answers with {@code
 * voicebus.stream} only, never echoing the token.
 */
public final class RequestAuthenticator {

  private static final String TWILIO_DISABLED =
      "Twilio endpoint disabled: neither ingest.twilio.auth-token nor ingest.twilio.accounts-file"
          + " is set";

  private final TwilioAccounts twilio;
  private final TokenFile bearer;
  private final PublicUrls urls;
  private final StreamTokens streamTokens;
  private final boolean tokensRequired;

  /**
   * A stream presenting a token must present a valid one; with the voice webhook on ({@code
   * ingest.twilio.numbers}), every stream must present one.
   */
  public RequestAuthenticator(IngestConfig config, PublicUrls urls, StreamTokens streamTokens) {
    this.twilio = config.auth().twilio();
    this.bearer = config.auth().bearer();
    this.urls = urls;
    this.streamTokens = streamTokens;
    this.tokensRequired = config.telephony().voiceWebhook();
  }

  /** A Media Streams upgrade: signed by a configured account, with a valid token if required. */
  public AuthDecision twilio(HttpRequest request) {
    if (twilio.isEmpty()) {
      return AuthDecision.forbidden(TWILIO_DISABLED);
    }
    String signature = request.headers().get(TwilioSignature.HEADER);
    if (signature == null) {
      return AuthDecision.unauthorized("missing " + TwilioSignature.HEADER);
    }
    String url = fullUrl(request);
    Optional<TwilioAccounts.Account> account = twilio.signedBy(url, Map.of(), signature);
    if (account.isEmpty()) {
      return AuthDecision.forbidden(
          "invalid " + TwilioSignature.HEADER + " for " + LoggedUri.of(url));
    }
    List<String> token = new QueryStringDecoder(request.uri()).parameters().get("token");
    if (token == null && !tokensRequired) {
      return AuthDecision.allowed(Caller.twilio(account.get()));
    }
    if (token == null || token.size() != 1 || token.get(0).isBlank()) {
      return AuthDecision.unauthorized(
          "missing stream token: with the voice webhook on, streams start from the TwiML of POST"
              + " /twilio/voice or of an outbound call, whose stream URL carries ?token=");
    }
    return redeem(token.get(0), account.get());
  }

  private AuthDecision redeem(String value, TwilioAccounts.Account account) {
    var redemption = streamTokens.redeem(value);
    if (redemption instanceof StreamTokens.Refused refused) {
      return AuthDecision.forbidden(refused.reason());
    }
    var admitted = ((StreamTokens.Admitted) redemption).token();
    if (!admitted.grant().account().equals(account)) {
      return AuthDecision.forbidden("stream token was issued for a call of another Twilio account");
    }
    return AuthDecision.allowed(Caller.twilio(account, admitted));
  }

  /**
   * A Twilio webhook (a form POST): signed over the public {@code https://} URL and its {@code
   * form} parameters by a configured account.
   */
  public AuthDecision twilioWebhook(HttpRequest request, Map<String, List<String>> form) {
    if (twilio.isEmpty()) {
      return AuthDecision.forbidden(TWILIO_DISABLED);
    }
    String signature = request.headers().get(TwilioSignature.HEADER);
    if (signature == null) {
      return AuthDecision.unauthorized("missing " + TwilioSignature.HEADER);
    }
    String url = urls.http(request) + request.uri();
    return twilio
        .signedBy(url, form, signature)
        .map(account -> AuthDecision.allowed(Caller.twilio(account)))
        .orElseGet(
            () ->
                AuthDecision.forbidden(
                    "invalid " + TwilioSignature.HEADER + " for " + LoggedUri.of(url)));
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

  /** The stream URL Twilio signed: {@code wss://} public host plus path and query. */
  String fullUrl(HttpRequest request) {
    return urls.ws(request) + request.uri();
  }
}
