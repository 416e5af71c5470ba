package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.CallError;
import dev.voicebus.avro.CallReconnect;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.TokenUsage;

/**
 * The session part of a call document: sessions and model, errors, reconnects (failovers among
 * them), audio gaps, tokens and cost summed over every response, and where the recorder stored the
 * call's recording. The worker's CallSummary is an end signal and is handled by {@link
 * CallAssembly}.
 */
final class SessionUpdates {

  /**
   * The reason the worker gives a reconnect when it took the call over from another worker.
   * SessionReconnect carries no typed cause yet, so this is matched on the reason's start.
   */
  static final String FAILOVER_REASON = "worker failover";

  private static final int MAX_SESSION_IDS = 20;
  private static final int MAX_MESSAGE_CHARS = 500;

  private SessionUpdates() {}

  /** Applies a session event other than CallSummary; true when the document changed. */
  static boolean apply(Draft d, SessionEvent event, Usage usage) {
    d.identify(event.getTenantId(), event.getAgentProfile(), event.getExternalCallId());
    Object e = event.getEvent();
    if (event.getRecording() != null && event.getRecording().getLocation() != null) {
      // The recorder's RECORDING_READY, usually after the call is final.
      d.doc.setRecordingUri(event.getRecording().getLocation());
      return true;
    }
    if (e instanceof SessionLifecycle lifecycle) {
      return lifecycle(d, event.getSessionId(), lifecycle);
    }
    if (e instanceof SessionError error) {
      d.errors.add(
          CallError.newBuilder()
              .setAt(event.getAt())
              .setSource(error.getSource().name())
              .setCode(error.getCode())
              .setMessage(Texts.clip(error.getMessage(), MAX_MESSAGE_CHARS))
              .setFatal(error.getFatal())
              .build());
      d.metrics.setErrors(d.metrics.getErrors() + 1);
      usage.errors++;
      return true;
    }
    if (e instanceof SessionReconnect reconnect) {
      boolean failover = reconnect.getReason().startsWith(FAILOVER_REASON);
      d.reconnects.add(
          CallReconnect.newBuilder()
              .setAt(event.getAt())
              .setReason(Texts.clip(reconnect.getReason(), MAX_MESSAGE_CHARS))
              .setCloseCode(reconnect.getCloseCode())
              .setAttempt(reconnect.getAttempt())
              .setGapMs(reconnect.getGapMs())
              .setReplayedItems(reconnect.getReplayedItems())
              .setFailover(failover)
              .build());
      d.metrics.setReconnects(d.metrics.getReconnects() + 1);
      if (failover) {
        d.metrics.setFailovers(d.metrics.getFailovers() + 1);
      }
      return true;
    }
    if (e instanceof SessionUsage sessionUsage) {
      add(d.usage, sessionUsage.getUsage());
      d.doc.setCostUsd(d.doc.getCostUsd() + sessionUsage.getCostUsd());
      d.doc.setTranscriptionSeconds(
          d.doc.getTranscriptionSeconds() + sessionUsage.getTranscriptionSeconds());
      usage.add(sessionUsage);
      return true;
    }
    if (e instanceof AudioGap) {
      d.metrics.setAudioGaps(d.metrics.getAudioGaps() + 1);
      return true;
    }
    return false;
  }

  private static boolean lifecycle(Draft d, String sessionId, SessionLifecycle lifecycle) {
    boolean changed = false;
    if (sessionId != null && !d.sessionIds.contains(sessionId)) {
      d.sessionIds.add(sessionId);
      while (d.sessionIds.size() > MAX_SESSION_IDS) {
        d.sessionIds.remove(0);
      }
      changed = true;
    }
    boolean configured =
        lifecycle.getPhase() == SessionPhase.CREATED
            || lifecycle.getPhase() == SessionPhase.UPDATED;
    if (configured
        && lifecycle.getModel() != null
        && !lifecycle.getModel().equals(d.doc.getModel())) {
      d.doc.setModel(lifecycle.getModel());
      changed = true;
    }
    return changed;
  }

  static void add(TokenUsage.Builder sum, TokenUsage more) {
    sum.setInputTextTokens(sum.getInputTextTokens() + more.getInputTextTokens())
        .setInputAudioTokens(sum.getInputAudioTokens() + more.getInputAudioTokens())
        .setInputImageTokens(sum.getInputImageTokens() + more.getInputImageTokens())
        .setCachedTextTokens(sum.getCachedTextTokens() + more.getCachedTextTokens())
        .setCachedAudioTokens(sum.getCachedAudioTokens() + more.getCachedAudioTokens())
        .setCachedImageTokens(sum.getCachedImageTokens() + more.getCachedImageTokens())
        .setOutputTextTokens(sum.getOutputTextTokens() + more.getOutputTextTokens())
        .setOutputAudioTokens(sum.getOutputAudioTokens() + more.getOutputAudioTokens())
        .setTotalTokens(sum.getTotalTokens() + more.getTotalTokens());
  }
}
