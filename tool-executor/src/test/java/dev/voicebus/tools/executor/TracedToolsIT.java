package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.observability.trace.SpanAttributes;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.mcp.LocalMcpServer;
import dev.voicebus.tools.testing.ExecutorHarness;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor's spans on a real broker: each tool call's span is a child of the worker's span its
 * ToolCall names, continues into the webhook's and the MCP server's HTTP requests as their {@code
 * traceparent}, and is named by the ToolResult record in turn.
 */
@ExtendWith(KafkaClusterExtension.class)
class TracedToolsIT {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String WORKER_SPAN = "00f067aa0ba902b7";

  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private static final List<String> webhookTraceparents = new CopyOnWriteArrayList<>();
  private static HttpServer webhook;
  private static LocalMcpServer mcp;
  private static ExecutorHarness harness;

  @BeforeAll
  static void start(KafkaCluster cluster) throws Exception {
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext(
        "/balance",
        exchange -> {
          webhookTraceparents.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
          byte[] body = "{\"balance\":\"42.00 EUR\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    webhook.start();
    mcp = new LocalMcpServer();
    harness = new ExecutorHarness(cluster);
    harness.start(
        harness.config(
            "traced-1",
            Map.of(
                "tools.webhook.account_balance.url",
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/balance",
                "tools.webhook.account_balance.secret",
                "whsec-test-0123456789",
                "tools.mcp.weather.url",
                mcp.url())),
        Tracing.of(sdk, false));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    mcp.close();
    webhook.stop(0);
    sdk.close();
  }

  @Test
  void aWebhookCallContinuesTheWorkersTraceAndItsResultNamesTheExecutorsSpan() {
    ToolCall call = ExecutorHarness.call("account_balance", "{\"account\":\"DE-991\"}");
    harness.send(call, "00-" + TRACE_ID + "-" + WORKER_SPAN + "-01");

    SpanData span = executed(call);
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(WORKER_SPAN);
    assertThat(span.getAttributes().get(SpanAttributes.TOOL_NAME)).isEqualTo("account_balance");
    assertThat(span.getAttributes().get(SpanAttributes.TOOL_STATUS)).isEqualTo("ok");
    assertThat(span.getAttributes().get(SpanAttributes.TOOL_ARGUMENTS)).isNull();
    assertThat(webhookTraceparents)
        .contains(
            "00-"
                + TRACE_ID
                + "-"
                + span.getSpanId()
                + "-"
                + span.getSpanContext().getTraceFlags().asHex());
    assertThat(resultTraceparent(call)).contains(span.getSpanId());
  }

  @Test
  void anMcpCallCarriesTheExecutorsSpanInItsHttpHeaders() {
    ToolCall call = ExecutorHarness.call("get_weather", "{\"city\":\"Lyon\"}");
    harness.send(call, "00-" + TRACE_ID + "-" + WORKER_SPAN + "-01");

    SpanData span = executed(call);
    assertThat(span.getParentSpanId()).isEqualTo(WORKER_SPAN);
    assertThat(mcp.weatherTraceparents)
        .anySatisfy(
            header ->
                assertThat(TraceHeaders.spanContext(header).getSpanId())
                    .isEqualTo(span.getSpanId()));
  }

  @Test
  void anUntracedCallStartsItsOwnTraceAndStillAnswers() {
    ToolCall call = ExecutorHarness.call("account_balance", "{\"account\":\"DE-1\"}");
    harness.send(call);

    SpanData span = executed(call);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(resultTraceparent(call)).contains(span.getTraceId());
  }

  private static SpanData executed(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("execute_tool"))
                    .filter(
                        s ->
                            call.getToolCallId()
                                .equals(s.getAttributes().get(SpanAttributes.TOOL_CALL_ID)))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static String resultTraceparent(ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness.readAll(harness.catalogue().name(Topics.TOOL_RESULTS)).stream()
                    .filter(
                        r -> new String(r.key(), StandardCharsets.UTF_8).equals(call.getCallId()))
                    .map(TracedToolsIT::traceparent)
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static String traceparent(ConsumerRecord<byte[], byte[]> record) {
    return TraceHeaders.traceparent(record.headers()).orElse("none");
  }
}
