package dev.voicebus.schemas;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallMetrics;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.CallToolCall;
import dev.voicebus.avro.CallTruncation;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.Dtmf;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.avro.RateLimit;
import dev.voicebus.avro.RateLimitsUpdated;
import dev.voicebus.avro.RecordingInfo;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionError;
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
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic instance of every record type and union branch of the contract. */
public final class SampleRecords {

  public static final Instant AT = Instant.parse("2026-11-24T12:00:00.123Z");

  private SampleRecords() {}

  public static List<CallControl> callControl(String callId) {
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId("acme")
            .setAgentProfile("support")
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(Map.of("from", "+15550100"))
            .setExternalCallId("CA123")
            .setReplyRoute(new ReplyRoute("voicebus.audio.out", 3))
            .setStartedAt(AT)
            .build();
    var ended =
        new CallEnded(callId, CallEndReason.TRANSFERRED, "stop received", 41L, AT, "+15551234567");
    var dtmf = new Dtmf(callId, "5", AT);
    var mark = new PlaybackMark(callId, "item_1:640", "item_1", 640L, false, AT);
    return List.of(
        new CallControl(started),
        new CallControl(dtmf),
        new CallControl(mark),
        new CallControl(ended));
  }

  public static AudioFrame audioFrame(String callId, long seq) {
    byte[] payload = new byte[160];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (seq + i);
    }
    return new AudioFrame(callId, seq, AT, 20, AudioCodec.PCMU, ByteBuffer.wrap(payload));
  }

  public static List<AudioOut> audioOut(String callId) {
    var audio =
        new AgentAudio(
            callId,
            0L,
            "item_1",
            "resp_1",
            0L,
            100,
            AudioCodec.PCMU,
            ByteBuffer.wrap(new byte[800]),
            "acme",
            "support",
            "CA0123456789abcdef0123456789abcdef");
    return List.of(
        new AudioOut(audio),
        new AudioOut(new ClearPlayback(callId, "item_1", "barge-in", AT)),
        new AudioOut(new Hangup(callId, "transfer", AT, "sip:billing@pbx.example.com", "call_t1")));
  }

  public static TranscriptEvent transcript(String callId) {
    return new TranscriptEvent(
        callId,
        "item_2",
        Speaker.AGENT,
        TranscriptKind.FINAL,
        "Your order ships tomorrow.",
        "resp_1",
        0L,
        1800L,
        false,
        AT,
        "acme",
        "support",
        "CA0123456789abcdef0123456789abcdef");
  }

  public static ToolCall toolCall(String callId) {
    return new ToolCall(
        callId,
        "call_abc",
        "lookup_order",
        "{\"order_id\":\"A1001\"}",
        AT.plusSeconds(5),
        AT,
        "acme",
        "resp_1",
        "item_3",
        "support",
        "CA0123456789abcdef0123456789abcdef");
  }

  public static ToolResult toolResult(String callId) {
    return new ToolResult(
        callId,
        "call_abc",
        "transfer_call",
        ToolStatus.OK,
        "{\"transferring\":true}",
        12L,
        1,
        AT,
        new CallAction(CallActionKind.TRANSFER, "billing", "+15551234567", "One moment."),
        "acme",
        "support",
        "CA0123456789abcdef0123456789abcdef");
  }

  public static List<SessionEvent> sessionEvents(String callId) {
    List<SessionEvent> all = lifecycleAndMore(callId);
    all.add(
        new SessionEvent(
            callId,
            "sess_1",
            AT,
            new SessionLifecycle(SessionPhase.RECORDING_READY, "gpt-realtime", null),
            new RecordingInfo(
                "file:///recordings/acme/2026/11/24/" + callId + ".wav", 61000L, 4000L, false),
            "acme",
            "support",
            null));
    return all;
  }

  private static List<SessionEvent> lifecycleAndMore(String callId) {
    var usage = new TokenUsage(120L, 800L, 0L, 64L, 512L, 0L, 40L, 300L, 1260L);
    List<Object> events =
        List.of(
            new SessionLifecycle(SessionPhase.CREATED, "gpt-realtime", null),
            new SessionError(
                ErrorSource.REALTIME,
                "invalid_request_error",
                "invalid_value",
                "bad format",
                "session.audio.input.format.type",
                false),
            new SessionReconnect("close 1001", 1001, 1, 420L, 6),
            new SessionUsage("resp_1", usage, 1.5, 0.0123),
            new RateLimitsUpdated(List.of(new RateLimit("tokens", 40000L, 39000L, 12.5))),
            new AudioGap(10L, 13L),
            new CallSummary("caller hung up", 61000L, 4, 1, 0, usage, 0.05));
    return events.stream()
        .map(e -> new SessionEvent(callId, "sess_1", AT, e, null, "acme", "support", null))
        .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
  }

  /** An assembled call as the analytics service publishes it on the calls topic. */
  public static CallRecord callRecord(String callId) {
    long start = AT.toEpochMilli();
    return CallRecord.newBuilder()
        .setCallId(callId)
        .setTenantId("acme")
        .setAgentProfile("support")
        .setSource(CallSource.TWILIO)
        .setStatus(CallStatus.ENDED)
        .setStartedAt(AT)
        .setEndedAt(AT.plusSeconds(30))
        .setDurationMs(30_000L)
        .setEndReason(CallEndReason.CALLER_HANGUP)
        .setTurns(
            List.of(
                CallTurn.newBuilder()
                    .setItemId("item-1")
                    .setSpeaker(Speaker.CALLER)
                    .setText("Hi")
                    .setComplete(true)
                    .setStartedAt(AT)
                    .build()))
        .setToolCalls(
            List.of(
                CallToolCall.newBuilder()
                    .setToolCallId("tc-1")
                    .setName("lookup_order")
                    .setArgumentsJson("{}")
                    .setStatus(ToolStatus.OK)
                    .setLatencyMs(30L)
                    .build()))
        .setMetrics(CallMetrics.newBuilder().setCallerTurns(1).setCallerTalkMs(900).build())
        .setUsage(new TokenUsage())
        .setCostUsd(0.01)
        .setTruncation(new CallTruncation())
        .setUpdatedAt(Instant.ofEpochMilli(start + 30_000))
        .build();
  }
}
