package dev.voicebus.worker.session;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.worker.output.Records;

/**
 * Cuts the agent off when the caller starts speaking over it: the caller's ingest node drops the
 * audio queued for the caller (ClearPlayback), the server's copy of the agent's item is truncated
 * at what the caller actually heard (acknowledged playback, clamped to what was sent; no truncation
 * before the item's first audio, which the API refuses), the response is cancelled when the profile
 * does not let the server interrupt it, and the line is settled as interrupted.
 */
final class BargeIn {

  private final CallScope scope;
  private final AgentTurns agent;

  BargeIn(CallScope scope, AgentTurns agent) {
    this.scope = scope;
    this.agent = agent;
  }

  /** The caller started speaking. */
  void onCallerSpeech() {
    var playback = agent.playback();
    String itemId = playback.itemId();
    if (!agent.isSpeaking() || itemId == null) {
      return;
    }
    scope.metrics.bargeIn();
    scope.toCaller(Records.clear(scope.callId(), itemId, scope.now()));
    var point = playback.truncationPoint();
    point.ifPresent(
        ms -> scope.send(new ClientEvent.ConversationItemTruncate(null, itemId, 0, ms)));
    playback.onCleared();
    if (Boolean.FALSE.equals(scope.call.profile().turnDetection().interruptResponse())
        && agent.gate().state() == ResponseGate.State.ACTIVE) {
      scope.send(new ClientEvent.ResponseCancel());
    }
    agent.interrupted(itemId, point.orElse(0));
  }
}
