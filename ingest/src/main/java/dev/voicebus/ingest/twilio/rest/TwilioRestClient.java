package dev.voicebus.ingest.twilio.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A small asynchronous client of Twilio's REST API (the JDK's {@link HttpClient}; form-encoded
 * POSTs, HTTP basic auth with the account SID and auth token): update a live call ({@code POST
 * /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json}) and place one ({@code POST
 * .../Calls.json}). The base URL is {@code ingest.twilio.api-base-url}, so tests point it at a
 * local fake. Futures complete on the client's threads: callers hop back to their event loop before
 * they touch call state. Failures are {@link TwilioApiException}s.
 */
public final class TwilioRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CALL_SID = Pattern.compile("CA[A-Za-z0-9]{1,64}");
  private static final int MAX_MESSAGE = 300;

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  public TwilioRestClient(URI base, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Updates the live call {@code callSid} with {@code form} (e.g. {@code Twiml}, {@code Status}).
   */
  public CompletableFuture<JsonNode> updateCall(
      TwilioCredentials credentials, String callSid, Map<String, String> form) {
    if (!CALL_SID.matcher(callSid).matches()) {
      return CompletableFuture.failedFuture(
          new TwilioApiException(0, 0, "'" + callSid + "' is not a Twilio CallSid"));
    }
    return post(credentials, "/Calls/" + callSid + ".json", form);
  }

  /**
   * Places a call ({@code To}, {@code From}, {@code Twiml}, ...); the answer carries its {@code
   * sid}.
   */
  public CompletableFuture<JsonNode> createCall(
      TwilioCredentials credentials, Map<String, String> form) {
    return post(credentials, "/Calls.json", form);
  }

  private CompletableFuture<JsonNode> post(
      TwilioCredentials credentials, String path, Map<String, String> form) {
    var request =
        HttpRequest.newBuilder(
                URI.create(base + "/2010-04-01/Accounts/" + credentials.accountSid() + path))
            .timeout(timeout)
            .header("Authorization", credentials.basicAuthorization())
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new CompletionException(unreachable(error));
              }
              return parse(response);
            });
  }

  /** {@code application/x-www-form-urlencoded}, in the map's order. */
  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static JsonNode parse(HttpResponse<String> response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300 && body != null && body.isObject()) {
      return body;
    }
    if (status >= 200 && status < 300) {
      throw new TwilioApiException(status, 0, "Twilio answered HTTP " + status + " without JSON");
    }
    int code = body == null ? 0 : body.path("code").asInt(0);
    String message = body == null ? "" : body.path("message").asText("");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    throw new TwilioApiException(
        status,
        code,
        "Twilio answered HTTP "
            + status
            + (code == 0 ? "" : " (code " + code + ")")
            + (message.isEmpty() ? "" : ": " + message));
  }

  private static TwilioApiException unreachable(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TwilioApiException api) {
      return api;
    }
    // The class only: a message could quote the request.
    return new TwilioApiException(
        0, 0, "Twilio could not be reached (" + cause.getClass().getSimpleName() + ")");
  }
}
