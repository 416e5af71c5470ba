package dev.voicebus.worker.session;

import static dev.voicebus.worker.session.CallFixture.audio;
import static dev.voicebus.worker.session.CallFixture.functionCall;
import static dev.voicebus.worker.session.CallFixture.only;
import static dev.voicebus.worker.session.CallFixture.speechStopped;
import static dev.voicebus.worker.session.CallFixture.toolResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.ToolStatus;
import dev.voicebus.observability.trace.SpanAttributes;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.observability.trace.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans a call's coordinator records: the call, its turns and its tool calls. */
class CallTraceTest {

  private static final String INGEST_SPAN =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private final CallFixture.FakeConnection connection = new CallFixture.FakeConnection("rt-1");

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void theCallSpanJoinsIngestsTraceAndEndsWithTheCall() {
    var f = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.of(sdk, false));
    f.open(connection);
    assertThat(spans.getFinishedSpanItems()).isEmpty();

    f.clock.advance(Duration.ofSeconds(30));
    f.step(f.call.end("hangup"));

    SpanData call = span("call");
    assertThat(call.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(call.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(call.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(call.getAttributes().get(SpanAttributes.CALL_ID)).isEqualTo("call-1");
    assertThat(call.getAttributes().get(SpanAttributes.TENANT_ID)).isEqualTo("acme");
    assertThat(call.getAttributes().get(SpanAttributes.END_REASON)).isEqualTo("hangup");
    assertThat(call.getAttributes().get(SpanAttributes.RESUMED)).isFalse();
    assertThat(call.getEndEpochNanos() - call.getStartEpochNanos())
        .isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void aTurnSpansTheCallerStoppingToTheAgentsFirstAudio() {
    var f = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.of(sdk, false));
    f.open(connection);
    f.server(1, speechStopped("item_c"));
    f.clock.advance(Duration.ofMillis(450));
    f.server(1, CallFixture.responseCreated("resp_1"));
    f.server(1, audio("resp_1", "item_a", 200));
    f.server(1, audio("resp_1", "item_a", 200));

    assertThat(spans.getFinishedSpanItems()).singleElement();
    SpanData turn = span("turn");
    assertThat(turn.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(turn.getAttributes().get(SpanAttributes.TURN)).isEqualTo(1L);
    assertThat(turn.getAttributes().get(SpanAttributes.TURN_LATENCY_MS)).isEqualTo(450L);
    assertThat(turn.getEndEpochNanos() - turn.getStartEpochNanos())
        .isEqualTo(Duration.ofMillis(450).toNanos());

    f.step(f.call.end("hangup"));
    assertThat(turn.getParentSpanId()).isEqualTo(span("call").getSpanId());
  }

  @Test
  void aToolCallsSpanTravelsOnItsRecordAndEndsWhenSettled() {
    var f = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.of(sdk, false));
    f.open(connection);
    var asked = f.server(1, functionCall("call_1", "lookup_order", "{\"order_id\":\"A1001\"}"));
    Optional<String> traceparent = only(asked, Effect.PublishToolCall.class).get(0).traceparent();
    assertThat(traceparent).isPresent();

    String executorSpan = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    f.clock.advance(Duration.ofMillis(120));
    f.step(
        f.call.onToolResult(
            toolResult("call_1", "lookup_order", ToolStatus.OK, null), executorSpan));

    SpanData tool = span("tool_call");
    assertThat(tool.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(TraceHeaders.spanContext(traceparent.get()).getSpanId()).isEqualTo(tool.getSpanId());
    assertThat(tool.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(tool.getAttributes().get(SpanAttributes.TOOL_NAME)).isEqualTo("lookup_order");
    assertThat(tool.getAttributes().get(SpanAttributes.TOOL_STATUS)).isEqualTo("ok");
    assertThat(tool.getAttributes().get(SpanAttributes.TOOL_ARGUMENTS)).isNull();
    assertThat(tool.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo("00f067aa0ba902b7"));
    assertThat(tool.getEndEpochNanos() - tool.getStartEpochNanos())
        .isEqualTo(Duration.ofMillis(120).toNanos());
  }

  @Test
  void toolArgumentsAreRecordedOnlyWhenSensitiveAttributesAreAllowed() {
    var f = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.of(sdk, true));
    f.open(connection);
    f.server(1, functionCall("call_1", "lookup_order", "{\"order_id\":\"A1001\"}"));
    f.clock.advance(Duration.ofSeconds(5));
    f.step(f.call.onTimer(new TimerKey.ToolDeadline("call_1")));

    SpanData tool = span("tool_call");
    assertThat(tool.getAttributes().get(SpanAttributes.TOOL_ARGUMENTS))
        .isEqualTo("{\"order_id\":\"A1001\"}");
    assertThat(tool.getAttributes().get(SpanAttributes.TOOL_STATUS)).isEqualTo("timeout");
    assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void aHandOverEndsTheSpanHereAndTheNextOwnerContinuesTheTrace() {
    var first = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.of(sdk, false));
    first.open(connection);
    first.server(1, functionCall("call_1", "lookup_order", "{}"));
    first.step(first.call.handOver());

    var next = new CallFixture(first.call.state(), Tracing.of(sdk, false));
    next.step(next.call.start(Optional.of("worker failover")));
    next.step(next.call.end("hangup"));

    List<SpanData> calls =
        spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("call")).toList();
    assertThat(calls).hasSize(2).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID));
    assertThat(calls.get(0).getAttributes().get(SpanAttributes.END_REASON))
        .isEqualTo("handed over");
    assertThat(calls.get(1).getAttributes().get(SpanAttributes.RESUMED)).isTrue();
    assertThat(span("tool_call").getAttributes().get(SpanAttributes.TOOL_STATUS))
        .isEqualTo("unsettled");
  }

  @Test
  void withTracingOffHereIngestsSpanIsPassedOnAndWithoutItNothingIs() {
    var passing = new CallFixture(CallFixture.started(INGEST_SPAN), Tracing.off());
    passing.open(connection);
    var asked = passing.server(1, functionCall("call_1", "lookup_order", "{}"));
    assertThat(only(asked, Effect.PublishToolCall.class).get(0).traceparent())
        .contains(INGEST_SPAN);

    var untraced = new CallFixture(CallFixture.started(null), Tracing.off());
    untraced.open(connection);
    var plain = untraced.server(1, functionCall("call_1", "lookup_order", "{}"));
    assertThat(only(plain, Effect.PublishToolCall.class).get(0).traceparent()).isEmpty();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
  }
}
