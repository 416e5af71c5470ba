package dev.voicebus.worker.session;

import dev.voicebus.realtime.event.ServerEvent;

/**
 * Routes each Realtime server event to the {@link LiveCall} handler that acts on it; events the
 * worker has no use for (item bookkeeping, content parts, text deltas of audio responses) are
 * ignored. Java 17 has no pattern switch, hence the instanceof chain.
 */
final class ServerEvents {

  private ServerEvents() {}

  static void dispatch(LiveCall call, ServerEvent event) {
    if (event instanceof ServerEvent.ResponseOutputAudioDelta e) {
      call.onAgentAudio(e);
    } else if (event instanceof ServerEvent.ResponseOutputAudioTranscriptDelta e) {
      call.onAgentTranscriptDelta(e.responseId(), e.itemId(), e.delta());
    } else if (event instanceof ServerEvent.ResponseOutputAudioTranscriptDone e) {
      call.onAgentTranscriptDone(e.responseId(), e.itemId(), e.transcript());
    } else if (event instanceof ServerEvent.ResponseOutputTextDelta e) {
      call.onAgentTranscriptDelta(e.responseId(), e.itemId(), e.delta());
    } else if (event instanceof ServerEvent.ResponseOutputTextDone e) {
      call.onAgentTranscriptDone(e.responseId(), e.itemId(), e.text());
    } else if (event instanceof ServerEvent.InputAudioBufferSpeechStarted e) {
      call.onSpeechStarted(e);
    } else if (event instanceof ServerEvent.InputAudioBufferSpeechStopped e) {
      call.onSpeechStopped(e);
    } else if (event instanceof ServerEvent.InputAudioTranscriptionDelta e) {
      call.onCallerTranscriptDelta(e);
    } else if (event instanceof ServerEvent.InputAudioTranscriptionCompleted e) {
      call.onCallerTranscriptDone(e);
    } else if (event instanceof ServerEvent.ResponseCreated e) {
      call.onResponseCreated(e);
    } else if (event instanceof ServerEvent.ResponseDone e) {
      call.onResponseDone(e);
    } else if (event instanceof ServerEvent.ResponseFunctionCallArgumentsDone e) {
      call.onFunctionCall(e);
    } else if (event instanceof ServerEvent.ErrorEvent e) {
      call.onError(e.error());
    } else if (event instanceof ServerEvent.RateLimitsUpdated e) {
      call.onRateLimits(e);
    } else if (event instanceof ServerEvent.SessionCreated e) {
      call.onSessionCreated(e);
    } else if (event instanceof ServerEvent.SessionUpdated e) {
      call.onSessionUpdated(e);
    }
  }
}
