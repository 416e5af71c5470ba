package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.tools.registry.ToolDefinition;
import dev.voicebus.tools.testing.Executions;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The executor against a real broker: Java and built-in tools, failures, dedupe, DLQ, metrics. */
@ExtendWith(KafkaClusterExtension.class)
class ToolExecutorIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ExecutorHarness harness;
  private static ToolExecutorService executor;
  private static int httpPort;

  @BeforeAll
  static void startExecutor(KafkaCluster cluster) throws IOException {
    harness = new ExecutorHarness(cluster);
    try (var socket = new ServerSocket(0)) {
      httpPort = socket.getLocalPort();
    }
    executor =
        harness.start(
            harness.config("main-1", Map.of("tool-executor.http-port", String.valueOf(httpPort))));
  }

  @AfterAll
  static void stopExecutor() {
    harness.close();
  }

  private static ToolResult resultOf(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty())
        .get(0);
  }

  private static JsonNode output(ToolResult result) throws IOException {
    return JSON.readTree(result.getOutputJson());
  }

  @Test
  void runsAJavaToolFoundByServiceLoader() throws IOException {
    ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"hello\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(result.getCallId()).isEqualTo(call.getCallId());
    assertThat(output(result).get("echo").asText()).isEqualTo("hello");
    assertThat(output(result).get("callId").asText()).isEqualTo(call.getCallId());
    assertThat(Executions.of(call.getToolCallId())).isEqualTo(1);
  }

  @Test
  void builtInLookupOrderFindsTheDemoOrder() throws IOException {
    ToolCall call = ExecutorHarness.call("lookup_order", "{\"order_id\":\"A1001\"}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(output(result).get("status").asText()).isEqualTo("shipped");
    assertThat(output(result).get("items").size()).isEqualTo(2);
  }

  @Test
  void endCallAndTransferCarryTypedActionsOnTheResultAndErrorsCarryNoneAndResultsCarryTheTenant() {
    ToolCall end = ExecutorHarness.call("end_call", "{\"reason\":\"resolved\"}");
    ToolCall transfer = ExecutorHarness.call("transfer_call", "{\"destination\":\"+15551234567\"}");
    ToolCall refused = ExecutorHarness.call("transfer_call", "{\"destination\":\"billing\"}");
    harness.send(end);
    harness.send(transfer);
    harness.send(refused);

    ToolResult ended = resultOf(end);
    assertThat(ended.getAction())
        .isEqualTo(new CallAction(CallActionKind.HANGUP, "resolved", null, null));
    assertThat(ended.getTenantId()).as("copied from the call").isEqualTo("tenant-1");
    assertThat(ended.getAgentProfile()).isEqualTo("support");
    assertThat(resultOf(transfer).getAction())
        .isEqualTo(new CallAction(CallActionKind.TRANSFER, null, "+15551234567", null));
    ToolResult error = resultOf(refused);
    assertThat(error.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(error.getAction()).isNull();
  }

  @Test
  void definitionsListEveryToolWithItsSchema() {
    assertThat(executor.definitions())
        .extracting(ToolDefinition::name)
        .contains("echo_test", "lookup_order", "get_current_time", "end_call", "transfer_call");
    ToolDefinition lookup =
        executor.definitions().stream()
            .filter(d -> d.name().equals("lookup_order"))
            .findFirst()
            .get();
    assertThat(lookup.toRealtimeTool().get("type").asText()).isEqualTo("function");
    assertThat(lookup.parameters().get("required").get(0).asText()).isEqualTo("order_id");
  }

  @Test
  void aToolThatOverrunsItsDeadlineYieldsATimeoutResult() throws IOException {
    ToolCall call =
        ExecutorHarness.call(
            "call-" + System.nanoTime(),
            "slow_test",
            "{\"sleep_ms\": 30000}",
            Instant.now().plusMillis(1500));
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.TIMEOUT);
    assertThat(output(result).get("error").asText()).isEqualTo("timeout");
    assertThat(output(result).get("message").asText()).contains("did not answer in time");
  }

  @Test
  void aCallWhoseDeadlinePassedIsAnsweredWithTimeoutWithoutRunning() {
    ToolCall call =
        ExecutorHarness.call(
            "call-" + System.nanoTime(), "echo_test", "{\"text\":\"late\"}", Instant.now());
    harness.send(call);

    assertThat(resultOf(call).getStatus()).isEqualTo(ToolStatus.TIMEOUT);
    assertThat(Executions.of(call.getToolCallId())).isZero();
  }

  @Test
  void invalidArgumentsAreAnErrorNamingTheArgument() throws IOException {
    ToolCall call = ExecutorHarness.call("lookup_order", "{\"order_id\": 42}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("invalid_arguments");
    assertThat(output(result).get("message").asText()).contains("order_id");
  }

  @Test
  void anUnknownToolIsAnErrorTheModelCanSpeakAbout() throws IOException {
    ToolCall call = ExecutorHarness.call("book_flight", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("unknown_tool");
    assertThat(output(result).get("message").asText()).contains("book flight");
  }

  @Test
  void aToolExceptionIsAnErrorWithoutInternals() throws IOException {
    ToolCall call = ExecutorHarness.call("failing_test", "{}");
    harness.send(call);

    ToolResult result = resultOf(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("tool_failed");
    assertThat(result.getOutputJson()).doesNotContain("10.0.0.7");
    assertThat(Executions.of(call.getToolCallId())).isEqualTo(1); // not idempotent: no retry
  }

  @Test
  void aRedeliveredCallRunsOnceAndItsResultIsPublishedAgain() {
    ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"twice\"}");
    harness.send(call);
    resultOf(call);
    harness.send(call);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()).size() == 2);
    List<ToolResult> results = harness.committedResults(call.getToolCallId());
    assertThat(results.get(1)).isEqualTo(results.get(0));
    assertThat(Executions.of(call.getToolCallId())).isEqualTo(1);
    List<String> phases =
        harness.committedDedupeRecords().stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(call.getToolCallId()))
            .map(r -> new String(r.headers().lastHeader("voicebus.tool.phase").value()))
            .toList();
    // echo_test is not idempotent: its start and result are journaled, then committed once.
    assertThat(phases).containsExactlyInAnyOrder("started", "finished", "committed");
  }

  @Test
  void aCopyArrivingWhileTheCallRunsWaitsForTheSameResult() {
    ToolCall call =
        ExecutorHarness.call(
            "call-" + System.nanoTime(),
            "slow_test",
            "{\"sleep_ms\": 300}",
            Instant.now().plusSeconds(20));
    harness.send(call);
    harness.send(call);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()).size() == 2);
    assertThat(Executions.of(call.getToolCallId())).isEqualTo(1);
  }

  @Test
  void undecodableBytesGoToTheDeadLetterTopicAndConsumingGoesOn() {
    String key = "call-garbage-" + System.nanoTime();
    harness.sendRaw(key, "not avro".getBytes(StandardCharsets.UTF_8));
    ToolCall after =
        ExecutorHarness.call(
            key, "echo_test", "{\"text\":\"after\"}", Instant.now().plusSeconds(20));
    harness.send(after);

    assertThat(resultOf(after).getStatus()).isEqualTo(ToolStatus.OK);
    var dead =
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInSameThread()
            .until(
                () ->
                    harness.deadLetters().stream()
                        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key))
                        .toList(),
                r -> !r.isEmpty());
    var stage = dead.get(0).headers().lastHeader(DeadLetterHeaders.STAGE).value();
    assertThat(new String(stage, StandardCharsets.UTF_8)).isEqualTo("decode");
  }

  @Test
  void exposesPerToolJvmAndKafkaClientMetricsHealthAndReadiness() throws Exception {
    ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"metrics\"}");
    harness.send(call);
    resultOf(call);

    HttpClient http = HttpClient.newHttpClient();
    var metrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "voicebus_tool_calls_total{service=\"voicebus-tool-executor\",status=\"ok\",tool=\"echo_test\"}")
        .contains(
            "voicebus_tool_latency_seconds_bucket{service=\"voicebus-tool-executor\",tool=\"echo_test\",le=");
    var health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    var ready =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .as("JVM, process and Kafka client meters")
        .contains("jvm_memory_used_bytes{")
        .contains("process_cpu_usage ")
        .contains("kafka_consumer_fetch_manager_records_consumed_total{")
        .contains("kafka_producer_record_send_total{");
  }
}
