package dev.voicebus.analytics;

import dev.voicebus.analytics.assembly.CallInput;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import java.time.Instant;
import java.util.Map;

/**
 * Contract records of one call, as ingest, the worker and the tool executor publish them, at
 * offsets in milliseconds from a fixed start, for tests of the assembly and the topology.
 */
public final class CallRecords {

  public static final Instant T0 = Instant.parse("2026-11-24T10:59:50Z");

  private final String callId;
  private final String tenant;
  private final Instant t0;

  public CallRecords(String callId, String tenant) {
    this(callId, tenant, T0);
  }

  public CallRecords(String callId, String tenant, Instant t0) {
    this.callId = callId;
    this.tenant = tenant;
    this.t0 = t0;
  }

  private Instant time(long ms) {
    return t0.plusMillis(ms);
  }

  public static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  public CallControl started(long ms) {
    return new CallControl(
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId(tenant)
            .setAgentProfile("support")
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(Map.of("from", "+15550100"))
            .setExternalCallId("CA-" + callId)
            .setReplyRoute(new ReplyRoute("voicebus.audio.out", 0))
            .setStartedAt(time(ms))
            .build());
  }

  public CallControl ended(long ms, CallEndReason reason, String transferTarget) {
    return new CallControl(
        CallEnded.newBuilder()
            .setCallId(callId)
            .setReason(reason)
            .setEndedAt(time(ms))
            .setTransferTarget(transferTarget)
            .build());
  }

  public TranscriptEvent delta(long ms, String itemId, Speaker speaker, String text) {
    return transcript(ms, itemId, speaker, TranscriptKind.DELTA, text).build();
  }

  public TranscriptEvent callerFinal(
      long ms, String itemId, String text, long audioStart, long audioEnd) {
    return transcript(ms, itemId, Speaker.CALLER, TranscriptKind.FINAL, text)
        .setAudioStartMs(audioStart)
        .setAudioEndMs(audioEnd)
        .build();
  }

  public TranscriptEvent agentFinal(
      long ms, String itemId, String text, long audioMs, boolean interrupted) {
    return transcript(ms, itemId, Speaker.AGENT, TranscriptKind.FINAL, text)
        .setAudioStartMs(0L)
        .setAudioEndMs(audioMs)
        .setInterrupted(interrupted)
        .build();
  }

  private TranscriptEvent.Builder transcript(
      long ms, String itemId, Speaker speaker, TranscriptKind kind, String text) {
    return TranscriptEvent.newBuilder()
        .setCallId(callId)
        .setItemId(itemId)
        .setRole(speaker)
        .setKind(kind)
        .setText(text)
        .setAt(time(ms))
        .setTenantId(tenant)
        .setAgentProfile("support")
        .setExternalCallId("CA-" + callId);
  }

  public ToolCall toolCall(long ms, String toolCallId) {
    return ToolCall.newBuilder()
        .setCallId(callId)
        .setToolCallId(toolCallId)
        .setName("lookup_order")
        .setArgumentsJson("{\"order_id\":\"A1001\"}")
        .setDeadline(time(ms + 8000))
        .setRequestedAt(time(ms))
        .setTenantId(tenant)
        .build();
  }

  public ToolResult toolResult(long ms, String toolCallId, ToolStatus status) {
    return ToolResult.newBuilder()
        .setCallId(callId)
        .setToolCallId(toolCallId)
        .setName("lookup_order")
        .setStatus(status)
        .setOutputJson("{\"status\":\"shipped\"}")
        .setDurationMs(12)
        .setCompletedAt(time(ms))
        .setTenantId(tenant)
        .build();
  }

  public SessionEvent created(long ms, String sessionId) {
    return session(ms, new SessionLifecycle(SessionPhase.CREATED, "gpt-realtime", null))
        .setSessionId(sessionId)
        .build();
  }

  public SessionEvent usage(long ms, long audioIn, long audioOut, double cost) {
    TokenUsage tokens =
        TokenUsage.newBuilder()
            .setInputAudioTokens(audioIn)
            .setOutputAudioTokens(audioOut)
            .setTotalTokens(audioIn + audioOut)
            .build();
    return session(ms, new SessionUsage("resp", tokens, 0.0, cost)).build();
  }

  public SessionEvent reconnect(long ms, String reason, long gapMs) {
    return session(ms, new SessionReconnect(reason, 1011, 1, gapMs, 3)).build();
  }

  public SessionEvent summary(long ms, long durationMs) {
    return session(
            ms, new CallSummary("caller hung up", durationMs, 2, 1, 0, new TokenUsage(), 0.01))
        .build();
  }

  /** The recorder's announcement that the call's recording is stored at {@code location}. */
  public SessionEvent recordingReady(long ms, String location) {
    return session(ms, new SessionLifecycle(SessionPhase.RECORDING_READY, null, "stored"))
        .setRecording(
            dev.voicebus.avro.RecordingInfo.newBuilder()
                .setLocation(location)
                .setDurationMs(15000)
                .build())
        .build();
  }

  private SessionEvent.Builder session(long ms, Object event) {
    return SessionEvent.newBuilder()
        .setCallId(callId)
        .setAt(time(ms))
        .setEvent(event)
        .setTenantId(tenant)
        .setAgentProfile("support");
  }

  public static CallInput input(Object record) {
    if (record instanceof CallControl control) {
      return new CallInput.Control(control);
    }
    if (record instanceof TranscriptEvent transcript) {
      return new CallInput.Transcript(transcript, null);
    }
    if (record instanceof ToolCall call) {
      return new CallInput.ToolRequested(call);
    }
    if (record instanceof ToolResult result) {
      return new CallInput.ToolAnswered(result);
    }
    return new CallInput.Session((SessionEvent) record);
  }
}
