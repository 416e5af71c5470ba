package dev.voicebus.worker.session;

import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.realtime.ConversationReplay;
import dev.voicebus.worker.realtime.SessionConfigs;
import dev.voicebus.worker.state.StateChange;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a newly opened session gets, in order: the profile's {@code session.update}; after a break,
 * the conversation so far (OpenAI has no session resume, so the log is the memory); the caller
 * audio held while no session was open; a report of the break; and, if the agent was cut off or a
 * response was asked for meanwhile, a response request so the caller is not left in silence.
 *
 * <p>A SIP call's session is another matter: it was configured when the call was accepted and its
 * conversation lives on in OpenAI's session while a sideband is away, so an attached sideband gets
 * only the client events decided meanwhile, and the break is reported.
 */
final class SessionSetup {

  private static final Logger log = LoggerFactory.getLogger(SessionSetup.class);

  private final CallScope scope;
  private final AgentTurns agent;

  SessionSetup(CallScope scope, AgentTurns agent) {
    this.scope = scope;
    this.agent = agent;
  }

  /** The link just moved from {@code opened} to open. */
  void onOpened(SessionLink.Connecting opened) {
    if (scope.call.isSip()) {
      onAttached(opened);
      return;
    }
    var link = scope.link();
    link.send(
        new ClientEvent.SessionUpdate(
            SessionConfigs.forCall(scope.call.profile(), scope.call.codec())));
    var cause = opened.cause();
    int replayed = 0;
    if (cause != null) {
      for (ClientEvent event : ConversationReplay.events(scope.state().getEntries())) {
        link.send(event);
        replayed++;
      }
    }
    link.releaseHeldAudio();
    if (cause != null) {
      reportBreak(cause, opened.attempt(), replayed);
    }
    scope.startTimer(TimerKey.Call.ROTATION, scope.settings.rotateAfter());
    if (scope.state().getResponseOwed()) {
      log.info("[{}] Asking the new session for the response owed since the break", scope.callId());
      scope.change(new StateChange.ResponseOwed(false));
      agent.sessionReplaced();
      agent.requestResponse();
    }
  }

  /** A SIP call's sideband is attached: nothing is replayed, the rotation is OpenAI's matter. */
  private void onAttached(SessionLink.Connecting opened) {
    int held = scope.link().releaseHeldEvents();
    if (held > 0) {
      log.info("[{}] Sent {} events held while the sideband was away", scope.callId(), held);
    }
    if (opened.cause() != null) {
      reportBreak(opened.cause(), opened.attempt(), 0);
    }
  }

  private void reportBreak(SessionLink.Break cause, int attempt, int replayed) {
    long gapMs = Duration.between(cause.at(), scope.now()).toMillis();
    scope.publish(
        Records.reconnect(
            scope.who,
            scope.sessionId(),
            new SessionReconnect(
                cause.reason(), cause.closeCode(), Math.max(1, attempt), gapMs, replayed),
            scope.now()));
    scope.change(new StateChange.Reconnected());
    scope.metrics.reconnect(cause.cause());
    log.info(
        "[{}] Session re-established after {} ms ({}), {} items replayed",
        scope.callId(),
        gapMs,
        cause.reason(),
        replayed);
  }
}
