package dev.voicebus.analytics.assembly;

import dev.voicebus.analytics.config.DocumentLimits;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.SessionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Builds a call's document one record at a time: a pure function from the document so far (or none)
 * and one input to the new document, whether it changed, whether the call just became final, and
 * the tenant usage the change adds. Records arrive from five topics in no guaranteed order
 * (call.control and tool.results take a repartition hop), so every step tolerates what has not
 * arrived yet. No I/O, no clock: timed moves are {@link #expire}, called with the time.
 */
public final class CallAssembly {

  private final DocumentLimits limits;

  public CallAssembly(DocumentLimits limits) {
    this.limits = limits;
  }

  /** Applies {@code input} to {@code before} (null for a call not seen yet). */
  public Assembled apply(CallRecord before, String callId, CallInput input) {
    Instant at = input.at();
    Draft d = Draft.of(before, callId, at);
    Usage usage = new Usage();
    CallStatus statusBefore = d.doc.getStatus();
    if (!applyInput(d, input, usage)) {
      return before == null
          ? new Assembled(null, false, false, List.of())
          : Assembled.unchanged(before);
    }
    return finish(before, d, usage, statusBefore, at);
  }

  /**
   * Moves a call whose end signals are incomplete at {@code now}: ENDING for {@code grace} since
   * {@code endingSince}, or LIVE with no record for {@code abandonAfter} since {@code lastActivity}
   * (both as this instance saw them, so replaying old records does not end calls early), becomes
   * ENDED. Unchanged otherwise.
   */
  public Assembled expire(
      CallRecord doc, Instant now, Activity activity, Duration grace, Duration abandonAfter) {
    CallStatus status = doc.getStatus();
    Draft d = Draft.of(doc, doc.getCallId(), now);
    if (status == CallStatus.ENDING) {
      if (now.isBefore(activity.endingSince().plus(grace))) {
        return Assembled.unchanged(doc);
      }
    } else if (status == CallStatus.LIVE) {
      Instant last =
          activity.lastRecord().isAfter(doc.getUpdatedAt())
              ? activity.lastRecord()
              : doc.getUpdatedAt();
      if (now.isBefore(last.plus(abandonAfter))) {
        return Assembled.unchanged(doc);
      }
      d.doc
          .setEndedAt(doc.getUpdatedAt())
          .setEndDetail("no records for " + abandonAfter + ": the call's end was never seen");
    } else {
      return Assembled.unchanged(doc);
    }
    d.doc.setStatus(CallLifecycle.move(status, CallStatus.ENDED));
    return finish(doc, d, new Usage(), status, doc.getUpdatedAt());
  }

  /**
   * When this instance last saw a record of a call, and since when it has been ENDING (wall clock).
   */
  public record Activity(Instant lastRecord, Instant endingSince) {}

  private boolean applyInput(Draft d, CallInput input, Usage usage) {
    if (input instanceof CallInput.Control control) {
      return control(d, control.record().getEvent());
    }
    if (input instanceof CallInput.Transcript transcript) {
      return TurnUpdates.apply(
          d, transcript.record(), transcript.generatedSoFar(), limits.maxTextChars());
    }
    if (input instanceof CallInput.ToolRequested requested) {
      ToolUpdates.requested(d, requested.record(), limits.maxTextChars());
      return true;
    }
    if (input instanceof CallInput.ToolAnswered answered) {
      if (ToolUpdates.answered(d, answered.record(), limits.maxTextChars())) {
        usage.toolCalls++;
        usage.toolErrors += ToolUpdates.isError(answered.record().getStatus()) ? 1 : 0;
      }
      return true;
    }
    SessionEvent event = ((CallInput.Session) input).record();
    if (event.getEvent() instanceof CallSummary summary) {
      d.identify(event.getTenantId(), event.getAgentProfile(), event.getExternalCallId());
      workerEnded(d, summary, event.getAt());
      return true;
    }
    return SessionUpdates.apply(d, event, usage);
  }

  private static boolean control(Draft d, Object event) {
    if (event instanceof CallStarted started) {
      d.doc
          .setTenantId(started.getTenantId())
          .setAgentProfile(started.getAgentProfile())
          .setSource(started.getSource())
          .setCodec(started.getCodec())
          .setStartedAt(started.getStartedAt());
      if (started.getExternalCallId() != null) {
        d.doc.setExternalCallId(started.getExternalCallId());
      }
      d.callerMetadata.putAll(started.getCallerMetadata());
      TurnUpdates.retimeCallerTurns(d);
      return true;
    }
    if (event instanceof CallEnded ended) {
      boolean summarySeen = d.doc.getStatus() == CallStatus.ENDING && d.doc.getEndReason() == null;
      d.doc
          .setEndedAt(ended.getEndedAt())
          .setEndReason(ended.getReason())
          .setEndDetail(ended.getDetail())
          .setTransferTarget(ended.getTransferTarget());
      d.doc.setStatus(CallLifecycle.endSignal(d.doc.getStatus(), summarySeen));
      return true;
    }
    return false;
  }

  private static void workerEnded(Draft d, CallSummary summary, Instant at) {
    boolean ingestEndSeen = d.doc.getEndReason() != null;
    if (d.doc.getEndedAt() == null) {
      d.doc.setEndedAt(at);
    }
    if (d.doc.getDurationMs() == null && summary.getDurationMs() > 0) {
      d.doc.setDurationMs(summary.getDurationMs());
    }
    d.doc.setStatus(CallLifecycle.endSignal(d.doc.getStatus(), ingestEndSeen));
  }

  private Assembled finish(
      CallRecord before, Draft d, Usage usage, CallStatus statusBefore, Instant at) {
    Instant startedAt = d.doc.getStartedAt();
    Instant endedAt = d.doc.getEndedAt();
    if (startedAt != null && endedAt != null) {
      d.doc.setDurationMs(Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()));
    }
    TurnMetrics.updateLatencies(d);
    DocumentBounds.enforce(d, limits);
    TurnMetrics.updateMetrics(d);
    Instant updatedAt = d.doc.getUpdatedAt();
    d.doc.setUpdatedAt(updatedAt == null || at.isAfter(updatedAt) ? at : updatedAt);
    d.doc.setRevision(d.doc.getRevision() + 1);
    boolean tenantNew =
        (before == null || before.getTenantId() == null) && d.doc.getTenantId() != null;
    if (tenantNew) {
      usage.calls = 1;
      usage.callsAt = startedAt;
    }
    boolean becameFinal = statusBefore != CallStatus.ENDED && d.doc.getStatus() == CallStatus.ENDED;
    if (becameFinal) {
      usage.callFrom = startedAt;
      usage.callTo = d.doc.getEndedAt();
      // Counted once the call is over, when late records can no longer move its turns.
      d.turns.stream()
          .map(CallTurn::getLatencyMs)
          .filter(Objects::nonNull)
          .forEach(usage.latencies::add);
    }
    return new Assembled(d.build(), true, becameFinal, usage.toDeltas(d.doc.getTenantId(), at));
  }
}
