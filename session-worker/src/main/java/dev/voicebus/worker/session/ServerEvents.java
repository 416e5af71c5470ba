package dev.voicebus.worker.session;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.StateChange;

/**
 * Routes each Realtime server event of the open session to the part of the call that owns it;
 * events the worker has no use for (item bookkeeping, content parts) are ignored. Java 17 has no
 * pattern switch, hence the instanceof chain. Two kinds come only from a SIP call's sideband: the
 * caller's keypad ({@code input_audio_buffer.dtmf_event_received}, through the profile's keypad
 * policy like a stream call's Dtmf records) and the phone leg's playback ({@code
 * output_audio_buffer.started}/{@code stopped}/{@code cleared}).
 */
final class ServerEvents {

  private final CallScope scope;
  private final AgentTurns agent;
  private final CallerTurns caller;
  private final ToolCalls tools;
  private final BargeIn bargeIn;
  private final RealtimeErrors errors;
  private final CallClosing closing;
  private final CallActions actions;
  private final KeypadInput keypad;

  ServerEvents(
      CallScope scope,
      AgentTurns agent,
      CallerTurns caller,
      ToolCalls tools,
      CallActions actions,
      CallClosing closing,
      KeypadInput keypad) {
    this.scope = scope;
    this.agent = agent;
    this.caller = caller;
    this.tools = tools;
    this.bargeIn = new BargeIn(scope, agent);
    this.errors = new RealtimeErrors(scope, agent);
    this.actions = actions;
    this.closing = closing;
    this.keypad = keypad;
  }

  void route(ServerEvent event) {
    if (event instanceof ServerEvent.ResponseOutputAudioDelta e) {
      agent.onAudio(e);
    } else if (event instanceof ServerEvent.ResponseOutputAudioTranscriptDelta e) {
      agent.onTranscriptDelta(e.responseId(), e.itemId(), e.delta());
    } else if (event instanceof ServerEvent.ResponseOutputAudioTranscriptDone e) {
      agent.onTranscriptDone(e.responseId(), e.itemId(), e.transcript());
    } else if (event instanceof ServerEvent.ResponseOutputTextDelta e) {
      agent.onTranscriptDelta(e.responseId(), e.itemId(), e.delta());
    } else if (event instanceof ServerEvent.ResponseOutputTextDone e) {
      agent.onTranscriptDone(e.responseId(), e.itemId(), e.text());
    } else if (event instanceof ServerEvent.InputAudioBufferSpeechStarted e) {
      caller.onSpeechStarted(e);
      if (!scope.call.isSip()) {
        // A SIP call's playback is OpenAI's: its server VAD cuts the agent off on the phone leg.
        bargeIn.onCallerSpeech();
      }
    } else if (event instanceof ServerEvent.InputAudioBufferSpeechStopped e) {
      caller.onSpeechStopped(e);
      agent.callerStopped();
    } else if (event instanceof ServerEvent.InputAudioTranscriptionDelta e) {
      caller.onTranscriptDelta(e);
    } else if (event instanceof ServerEvent.InputAudioTranscriptionCompleted e) {
      caller.onTranscriptDone(e);
    } else if (event instanceof ServerEvent.ResponseCreated e) {
      agent.onResponseCreated(e);
    } else if (event instanceof ServerEvent.ResponseDone e) {
      onResponseDone(e);
    } else if (event instanceof ServerEvent.ResponseFunctionCallArgumentsDone e) {
      tools.onFunctionCall(e);
    } else if (event instanceof ServerEvent.ErrorEvent e) {
      errors
          .onError(e.error())
          .ifPresent(fatal -> closing.fail(fatal.code(), fatal.message(), CallEndReason.ERROR));
    } else if (event instanceof ServerEvent.RateLimitsUpdated e && e.rateLimits() != null) {
      scope.publish(Records.rateLimits(scope.who, scope.sessionId(), e.rateLimits(), scope.now()));
    } else if (event instanceof ServerEvent.SessionCreated e) {
      scope.change(
          new StateChange.SessionIdentified(e.session() == null ? null : e.session().id()));
      scope.publish(closing.lifecycle(SessionPhase.CREATED, null));
    } else if (event instanceof ServerEvent.SessionUpdated e) {
      errors
          .checkFormat(e)
          .ifPresentOrElse(
              mismatch -> closing.fail(mismatch.code(), mismatch.message(), CallEndReason.ERROR),
              () -> scope.publish(closing.lifecycle(SessionPhase.UPDATED, null)));
    } else if (event instanceof ServerEvent.InputAudioBufferDtmfEventReceived e) {
      keypad.onDigit(e.event());
    } else if (event instanceof ServerEvent.OutputAudioBufferStarted) {
      agent.onPhoneAudioStarted();
    } else if (event instanceof ServerEvent.OutputAudioBufferStopped
        || event instanceof ServerEvent.OutputAudioBufferCleared) {
      onPhoneAudioStopped();
    }
  }

  /** The agent's audio stopped on the phone leg: what waited for its last words goes ahead. */
  private void onPhoneAudioStopped() {
    agent.onPhoneAudioStopped();
    if (agent.gate().state() == ResponseGate.State.IDLE) {
      actions.onAgentQuiet(tools.othersPending());
    }
  }

  /** Bills the response; then a response asked for meanwhile, or what a tool asked the call. */
  private void onResponseDone(ServerEvent.ResponseDone done) {
    errors.onResponseDone(done);
    if (!agent.onResponseDone()) {
      actions.onAgentQuiet(tools.othersPending());
    }
  }
}
