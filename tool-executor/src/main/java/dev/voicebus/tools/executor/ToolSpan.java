package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.observability.trace.SpanAttributes;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.observability.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * The executor's span of one tool call, a child of the worker's {@code tool_call} span named in the
 * ToolCall record's {@code traceparent}: from taking the call to its result. It is current on the
 * pool thread while the tool runs, so webhook and MCP requests carry it on in their HTTP headers,
 * and the ToolResult record names it in turn. Arguments (as the worker redacted or sealed them) are
 * recorded only when sensitive attributes are allowed.
 */
public final class ToolSpan {

  /** No span: nothing recorded, nothing propagated. */
  public static final ToolSpan NONE = new ToolSpan(Span.getInvalid());

  private final Span span;

  private ToolSpan(Span span) {
    this.span = span;
  }

  /** Starts the span of {@code call}, whose record carried {@code headers}. */
  static ToolSpan start(Tracing tracing, ToolCall call, Headers headers) {
    var builder =
        tracing
            .tracer()
            .spanBuilder("execute_tool")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(TraceHeaders.extract(headers))
            .setAttribute(SpanAttributes.CALL_ID, call.getCallId())
            .setAttribute(SpanAttributes.TOOL_NAME, call.getName())
            .setAttribute(SpanAttributes.TOOL_CALL_ID, call.getToolCallId());
    if (call.getTenantId() != null) {
      builder.setAttribute(SpanAttributes.TENANT_ID, call.getTenantId());
    }
    if (tracing.sensitiveAttributes()) {
      builder.setAttribute(SpanAttributes.TOOL_ARGUMENTS, call.getArgumentsJson());
    }
    return new ToolSpan(builder.startSpan());
  }

  /** {@code task} run with the span current (what the tool does while it runs). */
  Runnable wrap(Runnable task) {
    return Context.root().with(span).wrap(task);
  }

  /** The {@code traceparent} the ToolResult record carries (empty when nothing is traced). */
  Optional<String> traceparent() {
    return TraceHeaders.traceparent(Context.root().with(span));
  }

  /** Ends the span with {@code result}'s outcome; {@code errorCode} when it failed. */
  void finish(ToolResult result, String errorCode) {
    span.setAttribute(
        SpanAttributes.TOOL_STATUS, result.getStatus().name().toLowerCase(Locale.ROOT));
    span.setAttribute(SpanAttributes.TOOL_ATTEMPTS, (long) result.getAttempts());
    if (errorCode != null) {
      span.setAttribute(SpanAttributes.TOOL_ERROR_CODE, errorCode);
    }
    if (result.getStatus() != ToolStatus.OK) {
      span.setStatus(StatusCode.ERROR, errorCode == null ? result.getStatus().name() : errorCode);
    }
    span.end();
  }
}
