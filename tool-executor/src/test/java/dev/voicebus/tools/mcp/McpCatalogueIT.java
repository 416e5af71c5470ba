package dev.voicebus.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.avro.ToolOrigin;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.tools.testing.CatalogueReader;
import dev.voicebus.tools.testing.ExecutorHarness;
import dev.voicebus.tools.testing.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tool catalogue as MCP servers authenticate, change and come and go: a server that needs a
 * bearer token (right, wrong, missing), a tool added to a running server ({@code list_changed},
 * with the periodic refresh far away), and a server that is down when the executor starts, comes
 * up, and goes down again. What the catalogue holds is read from the topic.
 */
@ExtendWith(KafkaClusterExtension.class)
class McpCatalogueIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "tok-right-0123456789";
  private static LocalMcpServer crm;
  private static LocalMcpServer late;
  private static int latePort;
  private static ExecutorHarness harness;
  private static ToolExecutorService executor;

  @BeforeAll
  static void start(KafkaCluster cluster) throws Exception {
    crm = new LocalMcpServer(0, Optional.of(TOKEN));
    latePort = LocalMcpServer.freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("tools.mcp.crm.url", crm.url());
    settings.put("tools.mcp.crm.bearer-token", TOKEN);
    settings.put("tools.mcp.wrongcrm.url", crm.url());
    settings.put("tools.mcp.wrongcrm.bearer-token", "tok-wrong-0123456789");
    settings.put("tools.mcp.wrongcrm.tool-prefix", "wrong_");
    settings.put("tools.mcp.anoncrm.url", crm.url());
    settings.put("tools.mcp.anoncrm.tool-prefix", "anon_");
    settings.put("tools.mcp.late.url", "http://127.0.0.1:" + latePort + "/mcp");
    settings.put("tools.mcp.late.tool-prefix", "late_");
    settings.put("tools.mcp.late.tenant", "acme");
    settings.put("tools.mcp.late.timeout", "2s");
    settings.put("tool-executor.mcp.refresh-interval", "10m");
    settings.put("tool-executor.mcp.reconnect.initial", "200ms");
    settings.put("tool-executor.mcp.reconnect.max", "1s");
    settings.put("tools.webhook.refund.url", "http://127.0.0.1:9/refund");
    settings.put("tools.webhook.refund.secret", Secrets.whsec('r'));
    settings.put("tools.webhook.refund.timeout", "1500ms");
    settings.put("tools.webhook.refund.tenant", "acme");
    harness = new ExecutorHarness(cluster);
    executor = harness.start(harness.config("catalogue-1", settings));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    crm.close();
    if (late != null) {
      late.close();
    }
  }

  private static Map<String, ToolCatalogueEntry> catalogueWhen(
      java.util.function.Predicate<Map<String, ToolCatalogueEntry>> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInSameThread()
        .until(() -> CatalogueReader.read(harness), condition);
  }

  private static ToolResult resultOf(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty())
        .get(0);
  }

  @Test
  void theCatalogueHoldsEveryKindOfToolWithItsSchemaAndOwner() throws Exception {
    var catalogue = catalogueWhen(c -> c.containsKey("get_weather") && c.containsKey("refund"));

    var weather = catalogue.get("get_weather");
    assertThat(weather.getOrigin()).isEqualTo(ToolOrigin.MCP);
    assertThat(weather.getMcpServer()).isEqualTo("crm");
    assertThat(weather.getMcpToolName()).isEqualTo("get_weather");
    assertThat(weather.getDescription()).isEqualTo("Current weather in a city.");
    assertThat(JSON.readTree(weather.getParametersJson()).at("/required/0").asText())
        .isEqualTo("city");
    var refund = catalogue.get("refund");
    assertThat(refund.getOrigin()).isEqualTo(ToolOrigin.WEBHOOK);
    assertThat(refund.getTenantId()).isEqualTo("acme");
    assertThat(refund.getTimeoutMs()).isEqualTo(1500L);
    assertThat(catalogue.get("lookup_order").getOrigin()).isEqualTo(ToolOrigin.BUILTIN);
    assertThat(executor.writesCatalogue()).isTrue();
  }

  @Test
  void aServerNeedingABearerTokenGetsItOnEveryRequest() {
    ToolCall call = ExecutorHarness.call("get_weather", "{\"city\":\"Lisbon\"}");
    harness.send(call);
    assertThat(resultOf(call).getStatus()).isEqualTo(ToolStatus.OK);
  }

  @Test
  void aWrongOrMissingTokenIsAClearErrorAndNoTools() {
    var problems = executor.mcpProblems();
    assertThat(problems.get("wrongcrm"))
        .contains("tools.mcp.wrongcrm at " + crm.url())
        .contains("refused the credentials (HTTP 401)")
        .contains("tools.mcp.wrongcrm.bearer-token")
        .doesNotContain("tok-wrong");
    assertThat(problems.get("anoncrm")).contains("refused the credentials (HTTP 401)");
    assertThat(crm.refused.get()).isPositive();
    var catalogue = catalogueWhen(c -> c.containsKey("get_weather"));
    assertThat(catalogue.keySet()).noneMatch(n -> n.startsWith("wrong_") || n.startsWith("anon_"));
    assertThat(catalogue.values()).noneMatch(e -> "wrongcrm".equals(e.getMcpServer()));
  }

  @Test
  void aToolAddedToARunningServerAppearsThroughListChanged() throws Exception {
    crm.addTool(
        "get_tides",
        "High and low tide times for a harbour.",
        "{\"type\":\"object\",\"properties\":{\"harbour\":{\"type\":\"string\"}},"
            + "\"required\":[\"harbour\"]}");

    var tides = catalogueWhen(c -> c.containsKey("get_tides")).get("get_tides");
    assertThat(tides.getMcpServer()).isEqualTo("crm");
    assertThat(tides.getDescription()).isEqualTo("High and low tide times for a harbour.");
    assertThat(JSON.readTree(tides.getParametersJson()).at("/required/0").asText())
        .isEqualTo("harbour");
    ToolCall call = ExecutorHarness.call("get_tides", "{\"harbour\":\"Porto\"}");
    harness.send(call);
    assertThat(resultOf(call).getStatus()).isEqualTo(ToolStatus.OK);
  }

  @Test
  void aServerDownAtStartUpJoinsWhenUpAndLeavesWhenDownAgain() throws Exception {
    assertThat(executor.mcpProblems().get("late")).contains("tools.mcp.late");
    assertThat(CatalogueReader.read(harness)).doesNotContainKey("late_get_weather");

    late = new LocalMcpServer(latePort, Optional.empty());
    var entry = catalogueWhen(c -> c.containsKey("late_get_weather")).get("late_get_weather");
    assertThat(entry.getMcpServer()).isEqualTo("late");
    assertThat(entry.getMcpToolName()).isEqualTo("get_weather");
    assertThat(entry.getTenantId()).isEqualTo("acme");
    assertThat(executor.mcpProblems()).doesNotContainKey("late");

    ToolCall acme = acmeCall("call-acme");
    ToolCall other = ExecutorHarness.call("late_get_weather", "{\"city\":\"Faro\"}");
    harness.send(acme);
    harness.send(other);
    assertThat(resultOf(acme).getStatus()).isEqualTo(ToolStatus.OK);
    ToolResult refused = resultOf(other);
    assertThat(JSON.readTree(refused.getOutputJson()).get("error").asText())
        .isEqualTo("unknown_tool");

    late.close();
    late = null;
    // The next call finds the server gone; the executor checks it at once, not at the refresh.
    ToolCall failing = acmeCall("call-acme-2");
    harness.send(failing);
    assertThat(resultOf(failing).getStatus()).isNotEqualTo(ToolStatus.OK);
    catalogueWhen(c -> !c.containsKey("late_get_weather") && c.containsKey("get_weather"));
    assertThat(executor.mcpProblems()).containsKey("late");
  }

  /** A call of tenant acme, which owns the late server's tools. */
  private static ToolCall acmeCall(String callId) {
    ToolCall call =
        ExecutorHarness.call(
            callId + "-" + System.nanoTime(),
            "late_get_weather",
            "{\"city\":\"Faro\"}",
            Instant.now().plusSeconds(15));
    return ToolCall.newBuilder(call).setTenantId("acme").build();
  }
}
