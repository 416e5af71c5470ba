package dev.voicebus.tools.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.tools.registry.ToolDefinition;
import dev.voicebus.tools.testing.ExecutorHarness;
import dev.voicebus.tools.testing.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook tools against a local HTTP server that verifies each request as the README tells
 * integrators to: with the official Standard Webhooks library ({@code com.standardwebhooks}), not
 * the executor's signer; including a secret rotation, where receivers holding either secret accept.
 */
@ExtendWith(KafkaClusterExtension.class)
class WebhookToolIT {

  private static final String SECRET = Secrets.whsec('s');
  private static final String OLD = WebhookSignerTest.OLD;
  private static final String NEW = WebhookSignerTest.NEW;
  private static final List<String> FLAKY_IDS = new CopyOnWriteArrayList<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger FLAKY_REQUESTS = new AtomicInteger();
  private static HttpServer server;
  private static ExecutorHarness harness;
  private static ToolExecutorService executor;

  @BeforeAll
  static void start(KafkaCluster cluster) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/balance", WebhookToolIT::balance);
    server.createContext(
        "/flaky",
        exchange -> {
          FLAKY_REQUESTS.incrementAndGet();
          FLAKY_IDS.add(exchange.getRequestHeaders().getFirst("webhook-id"));
          respond(exchange, 503, "{\"error\":\"down\"}");
        });
    // During a rotation one receiver still holds the old secret, another already the new one.
    server.createContext("/old-receiver", exchange -> verified(exchange, OLD));
    server.createContext("/new-receiver", exchange -> verified(exchange, NEW));
    server.createContext(
        "/catalogue",
        exchange -> {
          // 2 MB streamed without Content-Length: read only up to the limit, then cut.
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(utf8("{\"items\":\""));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 32; i++) {
              out.write(chunk);
            }
            out.write(utf8("\"}"));
          } catch (IOException e) {
            // the executor hung up once it had read enough
          }
        });
    server.createContext(
        "/announced",
        exchange -> {
          // Announces 50 MB: refused from the Content-Length alone.
          exchange.sendResponseHeaders(200, 50_000_000L);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(utf8("{\"items\":\""));
          } catch (IOException e) {
            // the executor hung up at once
          }
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Map<String, String> settings = new HashMap<>();
    settings.put("tools.webhook.account_balance.url", base + "/balance");
    settings.put("tools.webhook.account_balance.secret", SECRET);
    settings.put("tools.webhook.account_balance.description", "Reads an account's balance.");
    settings.put(
        "tools.webhook.account_balance.parameters",
        "{\"type\":\"object\",\"properties\":{\"account\":{\"type\":\"string\"}},"
            + "\"required\":[\"account\"]}");
    settings.put("tools.webhook.wrong_key.url", base + "/balance");
    settings.put("tools.webhook.wrong_key.secret", Secrets.whsec('w'));
    settings.put("tools.webhook.rotating_old.url", base + "/old-receiver");
    settings.put("tools.webhook.rotating_old.secret", NEW + " " + OLD);
    settings.put("tools.webhook.rotating_new.url", base + "/new-receiver");
    settings.put("tools.webhook.rotating_new.secret", NEW + " " + OLD);
    settings.put("tools.webhook.flaky.url", base + "/flaky");
    settings.put("tools.webhook.flaky.secret", SECRET);
    settings.put("tools.webhook.flaky.idempotent", "true");
    settings.put("tools.webhook.catalogue.url", base + "/catalogue");
    settings.put("tools.webhook.catalogue.secret", SECRET);
    settings.put("tools.webhook.announced.url", base + "/announced");
    settings.put("tools.webhook.announced.secret", SECRET);
    harness = new ExecutorHarness(cluster);
    executor = harness.start(harness.config("webhook-1", settings));
  }

  @AfterAll
  static void stop() {
    harness.close();
    server.stop(0);
  }

  /**
   * The receiving side: a Standard Webhooks verifier checks id, timestamp (5 minutes' tolerance)
   * and signature over the raw body, then the JSON is read.
   */
  private static void balance(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      new Webhook(SECRET)
          .verify(new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders());
    } catch (WebhookVerificationException e) {
      respond(exchange, 401, "{\"error\":\"bad signature\"}");
      return;
    }
    JsonNode request = JSON.readTree(body);
    String account = request.get("arguments").get("account").asText();
    respond(
        exchange,
        200,
        "{\"account\":\""
            + account
            + "\",\"balance\":\"42.00 EUR\",\"toolCallId\":\""
            + request.get("toolCallId").asText()
            + "\"}");
  }

  private static void verified(HttpExchange exchange, String secret) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      new Webhook(secret)
          .verify(new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders());
    } catch (WebhookVerificationException e) {
      respond(exchange, 401, "{\"error\":\"bad signature\"}");
      return;
    }
    respond(
        exchange,
        200,
        "{\"verified\":true,\"webhookId\":\""
            + exchange.getRequestHeaders().getFirst("webhook-id")
            + "\"}");
  }

  private static byte[] utf8(String text) {
    return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = utf8(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ToolResult resultOf(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty())
        .get(0);
  }

  @Test
  void postsTheSignedCallAndPublishesTheResponse() throws IOException {
    ToolCall call = ExecutorHarness.call("account_balance", "{\"account\":\"DE-991\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    JsonNode output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("balance").asText()).isEqualTo("42.00 EUR");
    assertThat(output.get("account").asText()).isEqualTo("DE-991");
    assertThat(output.get("toolCallId").asText()).isEqualTo(call.getToolCallId());
  }

  @Test
  void aRejectedSignatureIsAnHttpErrorResult() throws IOException {
    ToolCall call = ExecutorHarness.call("wrong_key", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    JsonNode output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("error").asText()).isEqualTo("http_401");
    assertThat(output.get("message").asText()).contains("401");
    assertThat(result.getAttempts()).isEqualTo(1);
  }

  @Test
  void anIdempotentWebhookIsRetriedOnServerErrors() throws IOException {
    int before = FLAKY_REQUESTS.get();
    ToolCall call = ExecutorHarness.call("flaky", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(JSON.readTree(result.getOutputJson()).get("error").asText()).isEqualTo("http_503");
    assertThat(result.getAttempts()).isEqualTo(3);
    assertThat(FLAKY_REQUESTS.get() - before).isEqualTo(3);
    // Every attempt of one tool call is one message to the receiver: the same webhook-id.
    assertThat(FLAKY_IDS.subList(FLAKY_IDS.size() - 3, FLAKY_IDS.size()))
        .containsOnly(call.getToolCallId());
  }

  @Test
  void whileASecretRotatesReceiversHoldingEitherSecretAccept() throws IOException {
    ToolCall toOld = ExecutorHarness.call("rotating_old", "{}");
    ToolCall toNew = ExecutorHarness.call("rotating_new", "{}");
    harness.send(toOld);
    harness.send(toNew);

    for (ToolCall call : List.of(toOld, toNew)) {
      ToolResult result = resultOf(call);
      assertThat(result.getStatus()).as(result.getOutputJson()).isEqualTo(ToolStatus.OK);
      JsonNode output = JSON.readTree(result.getOutputJson());
      assertThat(output.get("verified").asBoolean()).isTrue();
      assertThat(output.get("webhookId").asText()).isEqualTo(call.getToolCallId());
    }
  }

  @Test
  void aBodyStreamingPastTheResultLimitIsCutAndBecomesAnErrorTheModelCanSpeakAbout()
      throws IOException {
    ToolCall call = ExecutorHarness.call("catalogue", "{}");
    ToolCall bystander = ExecutorHarness.call("account_balance", "{\"account\":\"DE-1\"}");
    harness.send(call);
    harness.send(bystander);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    JsonNode output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("error").asText()).isEqualTo("result_too_large");
    assertThat(output.get("message").asText())
        .isEqualTo("The catalogue service answered with more information than I can use.");
    assertThat(resultOf(bystander).getStatus()).isEqualTo(ToolStatus.OK);
  }

  @Test
  void aBodyAnnouncingMoreThanTheLimitIsRefusedWithoutReadingIt() throws IOException {
    ToolCall call = ExecutorHarness.call("announced", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(JSON.readTree(result.getOutputJson()).get("error").asText())
        .isEqualTo("result_too_large");
    assertThat(result.getAttempts()).isEqualTo(1);
  }

  @Test
  void webhookToolsAreOfferedWithTheirConfiguredSchema() {
    ToolDefinition balance =
        executor.definitions().stream()
            .filter(d -> d.name().equals("account_balance"))
            .findFirst()
            .orElseThrow();
    assertThat(balance.description()).isEqualTo("Reads an account's balance.");
    assertThat(balance.parameters().get("required").get(0).asText()).isEqualTo("account");
  }
}
