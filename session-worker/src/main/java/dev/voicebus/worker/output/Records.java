package dev.voicebus.worker.output;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.RateLimitsUpdated;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.event.RateLimit;
import dev.voicebus.realtime.event.RealtimeError;
import dev.voicebus.realtime.event.TranscriptionUsage;
import dev.voicebus.realtime.event.Usage;
import dev.voicebus.worker.state.UsageTotals;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Builds the contract records a session publishes from Realtime events and call facts. Pure
 * functions with no I/O, so the mapping is unit-tested with plain inputs.
 */
public final class Records {

  private Records() {}

  public static TranscriptEvent transcript(
      CallIdentity who, String itemId, Speaker role, TranscriptKind kind, String text, Instant at) {
    return transcriptBuilder(who, itemId, role, kind, text, at).build();
  }

  /** A transcript event to complete with offsets, response id or the interrupted flag. */
  public static TranscriptEvent.Builder transcriptBuilder(
      CallIdentity who, String itemId, Speaker role, TranscriptKind kind, String text, Instant at) {
    return TranscriptEvent.newBuilder()
        .setCallId(who.callId())
        .setTenantId(who.tenantId())
        .setAgentProfile(who.agentProfile())
        .setExternalCallId(who.externalCallId())
        .setItemId(itemId)
        .setRole(role)
        .setKind(kind)
        .setText(text == null ? "" : text)
        .setAt(at);
  }

  public static AudioOut agentAudio(
      CallIdentity who,
      long seq,
      String itemId,
      String responseId,
      long offsetMs,
      byte[] payload,
      AudioCodec codec) {
    int durationMs = (int) (payload.length / bytesPerMs(codec));
    return new AudioOut(
        new AgentAudio(
            who.callId(),
            seq,
            itemId,
            responseId,
            offsetMs,
            durationMs,
            codec,
            ByteBuffer.wrap(payload),
            who.tenantId(),
            who.agentProfile(),
            who.externalCallId()));
  }

  public static AudioOut clear(String callId, String itemId, Instant at) {
    return new AudioOut(new ClearPlayback(callId, itemId, "caller started speaking", at));
  }

  public static AudioOut hangup(String callId, String reason, Instant at) {
    return new AudioOut(new Hangup(callId, reason, at, null, null));
  }

  /**
   * The agent hands the caller to {@code target} (E.164 or SIP URI): the caller's ingest node
   * transfers the call through the carrier once queued audio has played, and answers a failure as a
   * ToolResult for {@code toolCallId}.
   */
  public static AudioOut transfer(String callId, String target, String toolCallId, Instant at) {
    return new AudioOut(new Hangup(callId, "transfer", at, target, toolCallId));
  }

  /**
   * The end of a SIP call, as the worker learnt or decided it (no ingest node holds the caller);
   * {@code transferTarget} names where a transferred caller went, else null.
   */
  public static CallEnded callEnded(
      String callId, CallEndReason reason, String detail, String transferTarget, Instant at) {
    return new CallEnded(callId, reason, detail, -1L, at, transferTarget);
  }

  /** Bytes per millisecond of audio: 8 for G.711 at 8 kHz, 48 for PCM16 at 24 kHz. */
  public static double bytesPerMs(AudioCodec codec) {
    return codec == AudioCodec.PCM16 || codec == AudioCodec.UNKNOWN ? 48.0 : 8.0;
  }

  public static SessionEvent lifecycle(
      CallIdentity who,
      String sessionId,
      SessionPhase phase,
      String model,
      String detail,
      Instant at) {
    return event(who, sessionId, at, new SessionLifecycle(phase, model, detail));
  }

  public static SessionEvent reconnect(
      CallIdentity who, String sessionId, SessionReconnect reconnect, Instant at) {
    return event(who, sessionId, at, reconnect);
  }

  public static SessionEvent audioGap(
      CallIdentity who, long expectedSeq, long receivedSeq, Instant at) {
    return event(who, null, at, new AudioGap(expectedSeq, receivedSeq));
  }

  public static SessionEvent realtimeError(
      CallIdentity who, String sessionId, RealtimeError error, boolean fatal, Instant at) {
    return event(
        who,
        sessionId,
        at,
        new SessionError(
            ErrorSource.REALTIME,
            error.type(),
            error.code(),
            error.message() == null ? "" : error.message(),
            error.param(),
            fatal));
  }

  public static SessionEvent error(
      CallIdentity who,
      String sessionId,
      ErrorSource source,
      String code,
      String message,
      boolean fatal,
      Instant at) {
    return event(who, sessionId, at, new SessionError(source, null, code, message, null, fatal));
  }

  public static SessionEvent usage(
      CallIdentity who,
      String sessionId,
      String responseId,
      Usage usage,
      double costUsd,
      Instant at) {
    return event(who, sessionId, at, new SessionUsage(responseId, tokens(usage), 0.0, costUsd));
  }

  /** An input transcription's billing: tokens (token-billed models) or seconds, and its cost. */
  public static SessionEvent transcriptionUsage(
      CallIdentity who,
      String sessionId,
      TokenUsage tokens,
      double seconds,
      double costUsd,
      Instant at) {
    return event(who, sessionId, at, new SessionUsage(null, tokens, seconds, costUsd));
  }

  public static SessionEvent rateLimits(
      CallIdentity who, String sessionId, List<RateLimit> limits, Instant at) {
    var mapped =
        limits.stream()
            .map(
                l ->
                    new dev.voicebus.avro.RateLimit(
                        l.name(), l.limit(), l.remaining(), l.resetSeconds()))
            .toList();
    return event(who, sessionId, at, new RateLimitsUpdated(mapped));
  }

  public static SessionEvent summary(
      CallIdentity who,
      String sessionId,
      String reason,
      long durationMs,
      int turns,
      int toolCalls,
      int reconnects,
      UsageTotals totals,
      Instant at) {
    var usage =
        new TokenUsage(
            totals.getInputTextTokens(),
            totals.getInputAudioTokens(),
            totals.getInputImageTokens(),
            totals.getCachedTextTokens(),
            totals.getCachedAudioTokens(),
            totals.getCachedImageTokens(),
            totals.getOutputTextTokens(),
            totals.getOutputAudioTokens(),
            totals.getTotalTokens());
    return event(
        who,
        sessionId,
        at,
        new CallSummary(
            reason, durationMs, turns, toolCalls, reconnects, usage, totals.getCostUsd()));
  }

  private static SessionEvent event(CallIdentity who, String sessionId, Instant at, Object event) {
    return new SessionEvent(
        who.callId(),
        sessionId,
        at,
        event,
        null,
        who.tenantId(),
        who.agentProfile(),
        who.externalCallId());
  }

  /** The tokens of a token-billed input transcription (none for duration-billed ones). */
  public static TokenUsage tokens(TranscriptionUsage usage) {
    var in = usage.inputTokenDetails();
    int input = usage.inputTokens() == null ? 0 : usage.inputTokens();
    int output = usage.outputTokens() == null ? 0 : usage.outputTokens();
    return new TokenUsage(
        (long) (in == null ? 0 : in.textTokens()),
        (long) (in == null ? input : in.audioTokens()),
        0L,
        0L,
        0L,
        0L,
        (long) output,
        0L,
        (long) (usage.totalTokens() == null ? input + output : usage.totalTokens()));
  }

  /** The contract's token usage from a Realtime usage block (missing details count as zero). */
  public static TokenUsage tokens(Usage usage) {
    if (usage == null) {
      return new TokenUsage();
    }
    var in = usage.inputTokenDetails();
    var cached = in == null ? null : in.cachedTokensDetails();
    var out = usage.outputTokenDetails();
    return new TokenUsage(
        (long) (in == null ? 0 : in.textTokens()),
        (long) (in == null ? 0 : in.audioTokens()),
        (long) (in == null ? 0 : in.imageTokens()),
        (long) (cached == null ? 0 : cached.textTokens()),
        (long) (cached == null ? 0 : cached.audioTokens()),
        (long) (cached == null ? 0 : cached.imageTokens()),
        (long) (out == null ? 0 : out.textTokens()),
        (long) (out == null ? 0 : out.audioTokens()),
        (long) usage.totalTokens());
  }
}
