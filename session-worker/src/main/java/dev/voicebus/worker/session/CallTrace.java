package dev.voicebus.worker.session;

import dev.voicebus.observability.trace.SpanAttributes;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.observability.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call's spans on this worker: the call (from the session's start here to the call's end or
 * hand-over, a child of ingest's call span named by CallStarted's {@code traceparent}, kept in the
 * call's state so a new owner joins the same trace), each turn (the caller stops speaking to the
 * agent's first audio) and each tool call (asked to settled; its {@code traceparent} travels on the
 * ToolCall record to the tool executor). Never a span per audio frame. Tool arguments (already
 * redacted or sealed) are recorded only when sensitive attributes are allowed. With tracing off
 * here, a ToolCall still carries ingest's {@code traceparent} on, so the executor's spans join the
 * call's trace.
 */
final class CallTrace {

  private final Tracing tracing;
  private final Map<String, Span> tools = new HashMap<>();
  private Span call = Span.getInvalid();
  private long turns;

  CallTrace(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * Opens the call's span under {@code parentTraceparent} (ingest's call span, if known); {@code
   * resumeReason} is set when the call moved here from another worker.
   */
  void start(
      CallContext context, String parentTraceparent, Optional<String> resumeReason, Instant now) {
    if (call.getSpanContext().isValid()) {
      return;
    }
    var who = context.identity();
    var builder =
        tracing
            .tracer()
            .spanBuilder("call")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(TraceHeaders.fromTraceparent(parentTraceparent))
            .setStartTimestamp(now)
            .setAttribute(SpanAttributes.CALL_ID, who.callId())
            .setAttribute(SpanAttributes.TENANT_ID, who.tenantId())
            .setAttribute(SpanAttributes.AGENT_PROFILE, who.agentProfile())
            .setAttribute(SpanAttributes.CALL_SOURCE, context.source().name())
            .setAttribute(SpanAttributes.RESUMED, resumeReason.isPresent());
    if (who.externalCallId() != null) {
      builder.setAttribute(SpanAttributes.EXTERNAL_CALL_ID, who.externalCallId());
    }
    call = builder.startSpan();
  }

  /** A turn: the caller stopped at {@code callerStopped}, the agent's audio began {@code now}. */
  void turn(Instant callerStopped, Instant now) {
    turns++;
    tracing
        .tracer()
        .spanBuilder("turn")
        .setParent(Context.root().with(call))
        .setStartTimestamp(callerStopped)
        .setAttribute(SpanAttributes.TURN, turns)
        .setAttribute(
            SpanAttributes.TURN_LATENCY_MS, now.toEpochMilli() - callerStopped.toEpochMilli())
        .startSpan()
        .end(now);
  }

  /**
   * Opens the span of tool call {@code toolCallId}; returns the {@code traceparent} its ToolCall
   * record carries to the tool executor (empty when tracing is off).
   */
  Optional<String> toolCall(String toolCallId, String name, String arguments, Instant now) {
    var builder =
        tracing
            .tracer()
            .spanBuilder("tool_call")
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(Context.root().with(call))
            .setStartTimestamp(now)
            .setAttribute(SpanAttributes.TOOL_NAME, name)
            .setAttribute(SpanAttributes.TOOL_CALL_ID, toolCallId);
    if (tracing.sensitiveAttributes()) {
      builder.setAttribute(SpanAttributes.TOOL_ARGUMENTS, arguments);
    }
    Span span = builder.startSpan();
    Span earlier = tools.put(toolCallId, span);
    if (earlier != null) {
      earlier.end(now);
    }
    return TraceHeaders.traceparent(Context.root().with(span));
  }

  /**
   * Tool call {@code toolCallId} was settled with {@code status} (ok, error, timeout, ...); {@code
   * resultTraceparent} names the tool executor's span that answered, if any.
   */
  void toolSettled(
      String toolCallId, String status, String errorCode, String resultTraceparent, Instant now) {
    Span span = tools.remove(toolCallId);
    if (span == null) {
      return;
    }
    var answeredBy = TraceHeaders.spanContext(resultTraceparent);
    if (answeredBy.isValid()) {
      span.addLink(answeredBy);
    }
    span.setAttribute(SpanAttributes.TOOL_STATUS, status);
    if (errorCode != null) {
      span.setAttribute(SpanAttributes.TOOL_ERROR_CODE, errorCode);
    }
    if (!"ok".equals(status)) {
      span.setStatus(StatusCode.ERROR, errorCode == null ? status : errorCode);
    }
    span.end(now);
  }

  /** The call ended for {@code reason} (CallEnded from ingest). */
  void ended(String reason, Instant now) {
    end(reason, now);
  }

  /** The worker ended the call with error {@code code}. */
  void failed(String code, Instant now) {
    call.setStatus(StatusCode.ERROR, code);
    end(code, now);
  }

  /** Another worker takes the call; its span there continues the same trace. */
  void handedOver(Instant now) {
    end("handed over", now);
  }

  private void end(String reason, Instant now) {
    for (Span tool : tools.values()) {
      tool.setAttribute(SpanAttributes.TOOL_STATUS, "unsettled");
      tool.end(now);
    }
    tools.clear();
    call.setAttribute(SpanAttributes.END_REASON, reason);
    call.end(now);
  }
}
