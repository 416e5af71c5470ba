package dev.voicebus.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.tools.registry.ToolDefinition;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tools of a configured MCP server are listed at start-up and callable like any other. */
@ExtendWith(KafkaClusterExtension.class)
class McpToolIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalMcpServer mcp;
  private static ExecutorHarness harness;
  private static ToolExecutorService executor;

  @BeforeAll
  static void start(KafkaCluster cluster) throws Exception {
    mcp = new LocalMcpServer();
    harness = new ExecutorHarness(cluster);
    executor =
        harness.start(
            harness.config(
                "mcp-1",
                Map.of(
                    "tools.mcp.weather.url",
                    mcp.url(),
                    "tools.mcp.weather.transport",
                    "streamable-http",
                    "tools.mcp.forecast.url",
                    mcp.sseUrl(),
                    "tools.mcp.forecast.transport",
                    "sse")));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    mcp.close();
  }

  private static ToolResult resultOf(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty())
        .get(0);
  }

  @Test
  void listsTheServersToolsWithTheirSchemas() {
    ToolDefinition weather =
        executor.definitions().stream()
            .filter(d -> d.name().equals("get_weather"))
            .findFirst()
            .orElseThrow();
    assertThat(weather.description()).isEqualTo("Current weather in a city.");
    assertThat(weather.parameters().get("properties").has("city")).isTrue();
    assertThat(weather.parameters().get("required").get(0).asText()).isEqualTo("city");
  }

  @Test
  void callsTheMcpToolAndPublishesItsStructuredOutput() throws Exception {
    int before = mcp.weatherCalls.get();
    ToolCall call = ExecutorHarness.call("get_weather", "{\"city\":\"Lisbon\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).as(result.getOutputJson()).isEqualTo(ToolStatus.OK);
    JsonNode output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("city").asText()).isEqualTo("Lisbon");
    assertThat(output.get("sky").asText()).isEqualTo("sunny");
    assertThat(mcp.weatherCalls.get() - before).isEqualTo(1);
  }

  @Test
  void anMcpErrorResultBecomesAnErrorWithTheServersMessage() throws Exception {
    ToolCall call = ExecutorHarness.call("flaky_inventory", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(JSON.readTree(result.getOutputJson()).get("message").asText())
        .isEqualTo("The inventory database is offline.");
  }

  @Test
  void argumentsAreValidatedBeforeTheServerIsCalled() throws Exception {
    int before = mcp.weatherCalls.get();
    ToolCall call = ExecutorHarness.call("get_weather", "{\"town\":\"Porto\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(JSON.readTree(result.getOutputJson()).get("message").asText()).contains("city");
    assertThat(mcp.weatherCalls.get()).isEqualTo(before);
  }

  @Test
  void callsAToolOverTheSseTransport() throws Exception {
    ToolCall call = ExecutorHarness.call("get_forecast", "{\"city\":\"Oslo\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).as(result.getOutputJson()).isEqualTo(ToolStatus.OK);
    assertThat(JSON.readTree(result.getOutputJson()).get("result").asText())
        .isEqualTo("Rain tomorrow in Oslo");
  }

  @Test
  void aResponseLargerThanTheLimitIsNotBufferedAndBecomesAnError() throws Exception {
    ToolCall call = ExecutorHarness.call("full_catalogue", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    JsonNode output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("error").asText()).isEqualTo("result_too_large");
    assertThat(output.get("message").asText())
        .isEqualTo("The full_catalogue tool answered with more information than I can use.");
    // The connection stays usable for the server's other tools.
    ToolCall next = ExecutorHarness.call("get_weather", "{\"city\":\"Faro\"}");
    harness.send(next);
    assertThat(resultOf(next).getStatus()).isEqualTo(ToolStatus.OK);
  }
}
