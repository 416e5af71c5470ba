package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.mcp.LocalMcpServer;
import dev.voicebus.tools.testing.Secrets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools reach the model without copying, end to end: the whole local stack (embedded broker, tool
 * executor, session worker, sandbox) with a webhook tool and an MCP server that needs a bearer
 * token. A profile names them ({@code "account_balance"}, {@code "mcp:weather/*"}) and the session
 * the sandbox receives offers both with their real schemas; a tool added to the running MCP server
 * is offered to the next call; a profile naming a tool the executor does not have stops the stack
 * at start-up with the profile and the tool named.
 */
class ToolCatalogueIT {

  private static final String TOKEN = "mcp-token-0123456789";

  @Test
  void aProfileNamingAWebhookAndAnMcpToolOffersBothWithTheirSchemas(@TempDir Path dir)
      throws Exception {
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.start();
    try (var mcp = new LocalMcpServer(0, Optional.of(TOKEN))) {
      Map<String, String> settings = new HashMap<>();
      settings.put(
          "worker.profiles-file",
          profiles(dir, "\"account_balance\", \"mcp:weather/*\"").toString());
      settings.put(
          "tools.webhook.account_balance.url",
          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/balance");
      settings.put("tools.webhook.account_balance.secret", Secrets.whsec('b'));
      settings.put("tools.webhook.account_balance.description", "Reads an account's balance.");
      settings.put(
          "tools.webhook.account_balance.parameters",
          "{\"type\":\"object\",\"properties\":{\"account\":{\"type\":\"string\"}},"
              + "\"required\":[\"account\"]}");
      settings.put("tools.mcp.weather.url", mcp.url());
      settings.put("tools.mcp.weather.bearer-token", TOKEN);
      settings.put("tool-executor.mcp.refresh-interval", "10m");
      try (var stack =
          LocalStack.start(new LocalOptions(Optional.empty(), 0, 0, settings), l -> {})) {
        SessionRecord first = sessionOf(stack, startCall(stack));
        Map<String, JsonNode> offered = byName(first.tools());
        assertThat(offered.keySet())
            .containsExactlyInAnyOrder(
                "account_balance", "get_weather", "flaky_inventory", "full_catalogue");
        assertThat(offered.get("account_balance").get("description").asText())
            .isEqualTo("Reads an account's balance.");
        assertThat(offered.get("account_balance").at("/parameters/required/0").asText())
            .isEqualTo("account");
        assertThat(offered.get("get_weather").get("description").asText())
            .isEqualTo("Current weather in a city.");
        assertThat(offered.get("get_weather").at("/parameters/properties/city/type").asText())
            .isEqualTo("string");
        assertThat(offered.get("get_weather").get("type").asText()).isEqualTo("function");

        mcp.addTool(
            "get_tides",
            "High and low tide times for a harbour.",
            "{\"type\":\"object\",\"properties\":{\"harbour\":{\"type\":\"string\"}}}");
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  SessionRecord next = sessionOf(stack, startCall(stack));
                  assertThat(byName(next.tools())).containsKey("get_tides");
                });
        // The first call keeps what it was offered.
        assertThat(byName(first.tools())).doesNotContainKey("get_tides");
      }
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aProfileNamingAToolTheExecutorDoesNotHaveStopsStartUpNamingBoth(@TempDir Path dir)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(
        "worker.profiles-file", profiles(dir, "\"lookup_order\", \"lookup_ordr\"").toString());
    settings.put("worker.tool-catalogue-timeout", "3s");
    assertThatThrownBy(
            () -> LocalStack.start(new LocalOptions(Optional.empty(), 0, 0, settings), l -> {}))
        .hasMessageContaining(
            "Agent profile catalogued names tool lookup_ordr, which is not in the tool catalogue")
        .hasMessageContaining("worker.tool-catalogue-timeout")
        .hasMessageNotContaining("names tool lookup_order,");
  }

  private static Path profiles(Path dir, String tools) throws Exception {
    Path file = dir.resolve("profiles.json");
    Files.writeString(
        file,
        "{\"profiles\": {\"catalogued\": {\"instructions\": \"You help with accounts.\","
            + " \"tools\": ["
            + tools
            + "]}}}");
    return file;
  }

  /** Publishes a CallStarted for profile "catalogued", as ingest would. */
  private static String startCall(LocalStack stack) {
    String callId = "call-" + UUID.randomUUID();
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId("acme")
            .setAgentProfile("catalogued")
            .setSource(CallSource.WEBSOCKET)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setReplyRoute(new ReplyRoute(stack.kafka().catalogue().name(Topics.AUDIO_OUT), 0))
            .setStartedAt(Instant.now())
            .build();
    try (var producer =
        new KafkaProducer<>(
            stack.kafka().clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              stack.kafka().catalogue().name(Topics.CALL_CONTROL),
              callId.getBytes(StandardCharsets.UTF_8),
              Topics.CALL_CONTROL
                  .valueSerde()
                  .serializer()
                  .serialize(null, new CallControl(started))));
    }
    return callId;
  }

  /**
   * The sandbox session the call opened, once its session.update arrived: calls are started one at
   * a time, so it is the one session with tools not looked at before.
   */
  private static SessionRecord sessionOf(LocalStack stack, String callId) {
    var sandbox = stack.sandbox().orElseThrow();
    return await()
        .alias("the session of " + callId)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sandbox.sessions().stream()
                    .filter(s -> !s.tools().isEmpty() && !SEEN.contains(s.sessionId()))
                    .findFirst()
                    .map(
                        s -> {
                          SEEN.add(s.sessionId());
                          return s;
                        }),
            Optional::isPresent)
        .orElseThrow();
  }

  private static final java.util.Set<String> SEEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static Map<String, JsonNode> byName(List<JsonNode> tools) {
    Map<String, JsonNode> byName = new HashMap<>();
    tools.forEach(t -> byName.put(t.get("name").asText(), t));
    return byName;
  }
}
