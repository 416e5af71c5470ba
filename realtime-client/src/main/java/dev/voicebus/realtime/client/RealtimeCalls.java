package dev.voicebus.realtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.RealtimeJson;
import dev.voicebus.realtime.session.SessionConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's calls API for SIP calls: {@code POST /realtime/calls/{call_id}/accept} (with the session
 * configuration), {@code /reject} (with a SIP status), {@code /refer} (a transfer to a {@code tel:}
 * or {@code sip:} URI) and {@code /hangup}. It uses the same base URL as the WebSocket ({@code
 * wss://api.openai.com/v1} becomes {@code https://api.openai.com/v1}, {@code ws} becomes {@code
 * http}), the same key sent the same way ({@code Authorization: Bearer} or {@code api-key}) and the
 * same trust; the key never appears in a message.
 *
 * <p>Every method returns at once. Its future completes on the JDK HTTP client's own threads (never
 * a Netty event loop): normally with null once OpenAI answered 2xx, or exceptionally with a {@link
 * RealtimeCallsException} whose {@link RealtimeCallsException#kind()} tells an unknown or ended
 * call, an already accepted one, a wrong state and the rest apart. There are no retries; a caller
 * that retries should do so only for {@link RealtimeCallsException#isRetriable()} failures. Create
 * one per process (or use {@link RealtimeClient#calls()}); thread-safe.
 */
public final class RealtimeCalls {

  private static final Logger LOG = LoggerFactory.getLogger(RealtimeCalls.class);

  /** How long one request may take by default, connect included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,200}");
  private static final Pattern TEL = Pattern.compile("tel:\\+[1-9][0-9]{1,14}");
  private static final Pattern SIP = Pattern.compile("sips?:[^\\s<>\"]+");
  private static final int MAX_BODY_CHARS = 500;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final ApiKey apiKey;
  private final Duration timeout;
  private final HttpClient http;
  private final RealtimeJson json = RealtimeJson.shared();

  /** A client for the endpoint, key and trust of {@code config}, with {@link #DEFAULT_TIMEOUT}. */
  public RealtimeCalls(RealtimeClientConfig config) {
    this(config, DEFAULT_TIMEOUT);
  }

  public RealtimeCalls(RealtimeClientConfig config, Duration requestTimeout) {
    Objects.requireNonNull(config, "config");
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout must be a positive duration, got " + requestTimeout);
    }
    this.base = restBase(config.baseUri());
    this.apiKey = config.apiKey();
    this.timeout = requestTimeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.connectTimeout());
    if (config.isSecure() && config.trustManagerFactory() != null) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
  }

  /**
   * The REST form of a WebSocket base URI: {@code wss} becomes {@code https}, {@code ws} {@code
   * http}.
   */
  public static URI restBase(URI webSocketBase) {
    String text = webSocketBase.toString();
    String scheme = webSocketBase.getScheme().toLowerCase(Locale.ROOT);
    String rest = text.substring(scheme.length());
    String http =
        switch (scheme) {
          case "wss", "https" -> "https";
          case "ws", "http" -> "http";
          default ->
              throw new IllegalArgumentException(
                  "base URI " + webSocketBase + " is not ws://, wss://, http:// or https://");
        };
    return URI.create(http + (rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest));
  }

  /** The REST base these calls go to, e.g. {@code https://api.openai.com/v1}. */
  public URI baseUri() {
    return base;
  }

  /**
   * Answers a ringing call with {@code session} as its configuration: the JSON this client sends in
   * {@code session.update} ({@code type} required, usually {@code realtime}).
   *
   * @throws IllegalArgumentException (at once) for a malformed call id or a session without type
   */
  public CompletableFuture<Void> accept(String callId, SessionConfig session) {
    Objects.requireNonNull(session, "session");
    // The session object exactly as session.update carries it (required fields checked).
    JsonNode event = parse(json.write(new ClientEvent.SessionUpdate(session)));
    return post(callId, "accept", event.get("session").toString());
  }

  /**
   * Declines a ringing call with SIP status {@code sipStatus} (300-699, e.g. 486 Busy Here, 404 Not
   * Found, 503 Service Unavailable, 603 Decline).
   */
  public CompletableFuture<Void> reject(String callId, int sipStatus) {
    if (sipStatus < 300 || sipStatus > 699) {
      throw new IllegalArgumentException(
          "sipStatus " + sipStatus + " is not a SIP rejection status (300-699)");
    }
    ObjectNode body = MAPPER.createObjectNode().put("status_code", sipStatus);
    return post(callId, "reject", body.toString());
  }

  /**
   * Transfers an accepted call with a SIP REFER to {@code targetUri}: {@code tel:+14155550123} or a
   * {@code sip:}/{@code sips:} URI. OpenAI answers once the REFER is relayed; the call then ends.
   */
  public CompletableFuture<Void> refer(String callId, String targetUri) {
    if (targetUri == null
        || !(TEL.matcher(targetUri).matches() || SIP.matcher(targetUri).matches())) {
      throw new IllegalArgumentException(
          "targetUri '"
              + targetUri
              + "' is not tel:+E164 (e.g. tel:+14155550123) or a sip:/sips: URI");
    }
    ObjectNode body = MAPPER.createObjectNode().put("target_uri", targetUri);
    return post(callId, "refer", body.toString());
  }

  /** Ends an accepted call. */
  public CompletableFuture<Void> hangup(String callId) {
    return post(callId, "hangup", null);
  }

  private CompletableFuture<Void> post(String callId, String operation, String body) {
    if (callId == null || !CALL_ID.matcher(callId).matches()) {
      throw new IllegalArgumentException(
          "callId '" + callId + "' is not an OpenAI call id (letters, digits, _ . -)");
    }
    URI uri = URI.create(base + "/realtime/calls/" + callId + "/" + operation);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (apiKey != null) {
      request.header(apiKey.scheme().header(), apiKey.headerValue());
    }
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    long started = System.nanoTime();
    CompletableFuture<Void> result = new CompletableFuture<>();
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              long ms = (System.nanoTime() - started) / 1_000_000;
              if (error != null) {
                result.completeExceptionally(transportFailure(operation, callId, error));
              } else if (response.statusCode() / 100 == 2) {
                LOG.debug(
                    "{} of call {}: HTTP {} in {} ms",
                    operation,
                    callId,
                    response.statusCode(),
                    ms);
                result.complete(null);
              } else {
                result.completeExceptionally(httpFailure(operation, callId, response));
              }
            });
    return result;
  }

  private RealtimeCallsException transportFailure(
      String operation, String callId, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String message = redact(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    LOG.debug("{} of call {} got no answer: {}", operation, callId, message);
    return new RealtimeCallsException(
        RealtimeCallsException.Kind.TRANSPORT,
        operation,
        callId,
        0,
        null,
        null,
        message,
        cause instanceof IOException ? cause : null);
  }

  private RealtimeCallsException httpFailure(
      String operation, String callId, HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    String type = null;
    String code = null;
    String message;
    JsonNode error = parseOrNull(body);
    if (error != null && error.path("error").isObject()) {
      JsonNode e = error.get("error");
      type = textOrNull(e, "type");
      code = textOrNull(e, "code");
      message = redact(e.path("message").asText(""));
    } else {
      String text = body.replaceAll("\\s+", " ").strip();
      message = redact(text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) : text);
    }
    int status = response.statusCode();
    LOG.debug("{} of call {}: HTTP {} {} {}", operation, callId, status, code, message);
    return new RealtimeCallsException(
        RealtimeCallsException.classify(status, code, message),
        operation,
        callId,
        status,
        type,
        code,
        message,
        null);
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private String redact(String text) {
    return apiKey == null ? ApiKey.redactKeyLike(text) : apiKey.redact(text);
  }

  private static JsonNode parse(String text) {
    JsonNode node = parseOrNull(text);
    if (node == null) {
      throw new IllegalStateException("cannot re-read the session JSON this client wrote");
    }
    return node;
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static SSLContext sslContext(RealtimeClientConfig config) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, config.trustManagerFactory().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the TLS context for " + config.baseUri(), e);
    }
  }

  @Override
  public String toString() {
    return "RealtimeCalls[base=" + base + ", apiKey=" + apiKey + "]";
  }
}
