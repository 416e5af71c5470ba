package dev.voicebus.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * What the analytics service made of the demo call, read back over its query API as any client
 * would: the call's document (found by the Twilio CallSid it carries as external id) once it is
 * final, and the tenant's usage for the day.
 */
public final class AnalyticsReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  public AnalyticsReport(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** The final document of the call with {@code externalCallId}, waiting up to {@code timeout}. */
  public Optional<JsonNode> finalCall(String externalCallId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> found = find(externalCallId);
      if (found.isPresent() && found.get().path("status").asText().equals("ENDED")) {
        return Optional.of(get("/v1/calls/" + found.get().path("callId").asText()));
      }
      Thread.sleep(250);
    }
    return Optional.empty();
  }

  private Optional<JsonNode> find(String externalCallId) {
    for (JsonNode call : get("/v1/calls?limit=20").path("calls")) {
      if (externalCallId.equals(call.path("externalCallId").asText())) {
        return Optional.of(call);
      }
    }
    return Optional.empty();
  }

  /** Prints the call and its tenant's usage today. */
  public void print(JsonNode call, PrintStream out) {
    JsonNode m = call.path("metrics");
    String callId = call.path("callId").asText();
    out.printf(
        Locale.ROOT,
        "  call %s: %s (%s), %d turns, %d tool call(s), %d interruption(s), turn latency median %s%n",
        callId,
        call.path("status").asText(),
        call.path("endReason").asText(),
        call.path("turns").size(),
        m.path("toolCalls").asInt(),
        m.path("interruptions").asInt(),
        m.path("turnLatencyP50Ms").isNull() ? "-" : m.path("turnLatencyP50Ms").asLong() + " ms");
    out.printf(
        Locale.ROOT,
        "  talk time caller %.1f s, agent %.1f s; cost $%.4f; document: %s/v1/calls/%s%n",
        m.path("callerTalkMs").asLong() / 1000.0,
        m.path("agentTalkMs").asLong() / 1000.0,
        call.path("costUsd").asDouble(),
        base,
        callId);
    String tenant = call.path("tenantId").asText();
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
    JsonNode totals =
        get("/v1/tenants/"
                + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
                + "/usage?granularity=day&from="
                + day
                + "&to="
                + day.plus(1, ChronoUnit.DAYS))
            .path("totals");
    out.printf(
        Locale.ROOT,
        "  tenant %s today: %d call(s), %.2f min, %d tokens, $%.4f%n",
        tenant,
        totals.path("calls").asLong(),
        totals.path("minutes").asDouble(),
        totals.path("totalTokens").asLong(),
        totals.path("costUsd").asDouble());
  }

  private JsonNode get(String path) {
    var request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode();
    }
  }
}
