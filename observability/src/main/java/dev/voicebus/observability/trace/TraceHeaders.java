package dev.voicebus.observability.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C Trace Context ({@code traceparent}, {@code tracestate}) carried in Kafka record headers and
 * HTTP request headers, so one call's spans in ingest, the session worker and the tool executor
 * form one trace. Stateless: with tracing off there is no valid span in the context and nothing is
 * written.
 */
public final class TraceHeaders {

  /** The W3C header that names the parent span. */
  public static final String TRACEPARENT = "traceparent";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Headers> KAFKA =
      new TextMapGetter<>() {
        @Override
        public String get(Headers carrier, String key) {
          Header header = carrier == null ? null : carrier.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private TraceHeaders() {}

  /** Writes {@code context}'s span into {@code headers}, replacing any trace headers there. */
  public static void inject(Context context, Headers headers) {
    for (String field : W3C.fields()) {
      headers.remove(field);
    }
    W3C.inject(
        context,
        headers,
        (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
  }

  /** The context whose parent is the span named in {@code headers} (the root context if none). */
  public static Context extract(Headers headers) {
    return W3C.extract(Context.root(), headers, KAFKA);
  }

  /** Sets {@code context}'s trace headers on an HTTP request through {@code setHeader}. */
  public static void inject(Context context, BiConsumer<String, String> setHeader) {
    W3C.inject(context, setHeader, (carrier, key, value) -> carrier.accept(key, value));
  }

  /** The {@code traceparent} value of {@code context}'s span, if it has a valid one. */
  public static Optional<String> traceparent(Context context) {
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return Optional.empty();
    }
    var fields = new java.util.HashMap<String, String>();
    W3C.inject(context, fields, Map::put);
    return Optional.ofNullable(fields.get(TRACEPARENT));
  }

  /** The {@code traceparent} value in {@code headers}, if any, as text. */
  public static Optional<String> traceparent(Headers headers) {
    return Optional.ofNullable(KAFKA.get(headers, TRACEPARENT));
  }

  /** The context whose parent is the span a stored {@code traceparent} value names. */
  public static Context fromTraceparent(String traceparent) {
    if (traceparent == null || traceparent.isBlank()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
  }

  /** The span context a stored {@code traceparent} names (invalid when none or malformed). */
  public static SpanContext spanContext(String traceparent) {
    return Span.fromContext(fromTraceparent(traceparent)).getSpanContext();
  }

  /** The trace header names this class writes. */
  public static List<String> fields() {
    return List.copyOf(W3C.fields());
  }
}
