package dev.voicebus.observability.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                  .build())
          .build();

  @Test
  void aSpanTravelsThroughKafkaHeaders() {
    Span span = sdk.getTracer("t").spanBuilder("parent").startSpan();
    var headers = new RecordHeaders();
    headers.add(TraceHeaders.TRACEPARENT, "stale".getBytes(StandardCharsets.UTF_8));

    TraceHeaders.inject(Context.root().with(span), headers);

    assertThat(headers.headers(TraceHeaders.TRACEPARENT)).hasSize(1);
    var extracted = Span.fromContext(TraceHeaders.extract(headers)).getSpanContext();
    assertThat(extracted.getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(extracted.getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(extracted.isRemote()).isTrue();
    span.end();
  }

  @Test
  void noSpanWritesNothingAndReadsAsRoot() {
    var headers = new RecordHeaders();
    TraceHeaders.inject(Context.root(), headers);
    assertThat(headers.toArray()).isEmpty();
    assertThat(Span.fromContext(TraceHeaders.extract(headers)).getSpanContext().isValid())
        .isFalse();
    assertThat(TraceHeaders.traceparent(Context.root())).isEmpty();
  }

  @Test
  void aStoredTraceparentNamesTheSameSpan() {
    Span span = sdk.getTracer("t").spanBuilder("parent").startSpan();
    String stored = TraceHeaders.traceparent(Context.root().with(span)).orElseThrow();

    assertThat(stored).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    assertThat(TraceHeaders.spanContext(stored).getSpanId())
        .isEqualTo(span.getSpanContext().getSpanId());
    assertThat(TraceHeaders.spanContext("not-a-traceparent").isValid()).isFalse();
    assertThat(TraceHeaders.spanContext(null).isValid()).isFalse();
    span.end();
  }

  @Test
  void httpHeadersGetTheTraceparent() {
    Span span = sdk.getTracer("t").spanBuilder("parent").startSpan();
    var http = new HashMap<String, String>();
    TraceHeaders.inject(Context.root().with(span), http::put);
    assertThat(http.get("traceparent")).contains(span.getSpanContext().getTraceId());
    span.end();
  }
}
