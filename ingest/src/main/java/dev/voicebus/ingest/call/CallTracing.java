package dev.voicebus.ingest.call;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.observability.trace.SpanAttributes;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.observability.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The span of each call this node holds, from its announcement to its end: the root of the call's
 * trace, named in the {@code traceparent} header of its CallStarted (and of any tool result this
 * node answers) so the worker's and the tool executor's spans join it.
 */
public final class CallTracing {

  private final Tracing tracing;

  public CallTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /** Starts the span of the call {@code started} announces. */
  Span started(CallStarted started) {
    var span =
        tracing
            .tracer()
            .spanBuilder("call")
            .setSpanKind(SpanKind.SERVER)
            .setNoParent()
            .setAttribute(SpanAttributes.CALL_ID, started.getCallId())
            .setAttribute(SpanAttributes.TENANT_ID, started.getTenantId())
            .setAttribute(SpanAttributes.AGENT_PROFILE, started.getAgentProfile())
            .setAttribute(SpanAttributes.CALL_SOURCE, started.getSource().name());
    if (started.getExternalCallId() != null) {
      span.setAttribute(SpanAttributes.EXTERNAL_CALL_ID, started.getExternalCallId());
    }
    return span.startSpan();
  }

  /** Record headers naming {@code span} as the parent (empty when tracing is off). */
  static Headers headers(Span span) {
    var headers = new RecordHeaders();
    TraceHeaders.inject(Context.root().with(span), headers);
    return headers;
  }

  /** Ends the call's span with how the call ended. */
  static void ended(Span span, CallEndReason reason, String detail) {
    span.setAttribute(SpanAttributes.END_REASON, reason.name().toLowerCase(Locale.ROOT));
    if (reason == CallEndReason.ERROR) {
      span.setStatus(StatusCode.ERROR, detail);
    }
    span.end();
  }
}
