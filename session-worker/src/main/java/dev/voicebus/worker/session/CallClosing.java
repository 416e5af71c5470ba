package dev.voicebus.worker.session;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.StateChange;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a call stops on this worker: it ends (the caller hung up), the worker ends it (a fatal error
 * or a limit: the caller's ingest node is told to hang up, and the state is marked so no later
 * owner reopens it), or it is handed over to another worker. Ending publishes the session's last
 * lifecycle event and the call's totals.
 *
 * <p>A SIP call has no ingest node: the worker hangs it up through the calls API, learns that it
 * ended from its sideband (the call is gone when it attaches again), and publishes its {@code
 * CallEnded} on call.control itself. When another owner attached to it, the call is left alone.
 */
final class CallClosing {

  private static final Logger log = LoggerFactory.getLogger(CallClosing.class);

  /** The SIP status a call gets when it cannot be answered (503 Service Unavailable). */
  static final int SIP_UNAVAILABLE = 503;

  private final CallScope scope;
  private final Runnable forgetTools;

  /** {@code forgetTools} drops the pending tool deadlines when the call stops here. */
  CallClosing(CallScope scope, Runnable forgetTools) {
    this.scope = scope;
    this.forgetTools = forgetTools;
  }

  /** CallEnded from ingest. */
  void end(String reason) {
    shutDown(1000, "call ended");
    closed(reason);
    scope.trace.ended(reason, scope.now());
    log.info("[{}] Call ended ({}), {} turns", scope.callId(), reason, scope.state().getTurns());
  }

  /**
   * The worker ends the call: the caller's ingest node hangs up (a SIP call: the calls API hangs it
   * up, or rejects it if it was never answered, and its end is published as {@code reason}).
   */
  void fail(String code, String message, CallEndReason reason) {
    log.warn("[{}] Ending call: {}", scope.callId(), message);
    scope.error(ErrorSource.WORKER, code, message, true);
    if (scope.call.isSip()) {
      scope.emit(
          scope.link().isAccepting()
              ? new Effect.RejectCall(SIP_UNAVAILABLE)
              : new Effect.HangUpCall());
    } else {
      scope.toCaller(Records.hangup(scope.callId(), code, scope.now()));
    }
    if (scope.link().isEnded()) {
      scope.emit(new Effect.CancelAllTimers());
    } else {
      shutDown(1000, code);
    }
    scope.change(new StateChange.Ended(code));
    closed(code);
    publishEnd(reason, scope.redaction.redact(message), null);
    scope.trace.failed(code, scope.now());
  }

  /**
   * A SIP call is over, as far as this worker knows or decided: transferred, hung up by the agent,
   * or gone at OpenAI (the caller hung up). Its session closes, its totals and its {@code
   * CallEnded} are published, and no later owner reopens it.
   */
  void sipCallOver(CallEndReason reason, String detail, String transferTarget) {
    String name = reason.name().toLowerCase(Locale.ROOT);
    if (!scope.link().isEnded()) {
      shutDown(1000, name);
    }
    scope.change(new StateChange.Ended(name));
    closed(name);
    publishEnd(reason, detail, transferTarget);
    scope.trace.ended(name, scope.now());
    log.info(
        "[{}] SIP call over ({}: {}), {} turns",
        scope.callId(),
        name,
        detail,
        scope.state().getTurns());
  }

  /** Another worker took the SIP call's sideband over: the call goes on there, not here. */
  void yieldToNewOwner(int code, String reason) {
    scope.link().lost();
    forgetTools.run();
    scope.emit(new Effect.CancelAllTimers());
    scope.publish(lifecycle(SessionPhase.CLOSED, "another owner attached (" + code + ")"));
    scope.trace.handedOver(scope.now());
    log.info(
        "[{}] Sideband closed {} ({}): another owner runs the call now",
        scope.callId(),
        code,
        reason);
  }

  /** Another worker takes the call; its session closes here without ending the call. */
  void handOver() {
    shutDown(1001, "call handed over to another worker");
    scope.publish(lifecycle(SessionPhase.CLOSED, "handed over"));
    scope.trace.handedOver(scope.now());
    log.info("[{}] Session handed over", scope.callId());
  }

  SessionEvent lifecycle(SessionPhase phase, String detail) {
    return Records.lifecycle(
        scope.who, scope.sessionId(), phase, scope.call.profile().model(), detail, scope.now());
  }

  private void shutDown(int code, String reason) {
    scope.link().end(code, reason);
    forgetTools.run();
    scope.emit(new Effect.CancelAllTimers());
  }

  /** A SIP call's end goes on call.control; a stream call's is ingest's to publish. */
  private void publishEnd(CallEndReason reason, String detail, String transferTarget) {
    if (scope.call.isSip()) {
      scope.emit(
          new Effect.PublishCallEnded(
              Records.callEnded(scope.callId(), reason, detail, transferTarget, scope.now())));
    }
  }

  /** The session's last lifecycle event and the call's totals. */
  private void closed(String reason) {
    var state = scope.state();
    scope.publish(lifecycle(SessionPhase.CLOSED, reason));
    scope.publish(
        Records.summary(
            scope.who,
            scope.sessionId(),
            reason,
            scope.now().toEpochMilli() - state.getStartedAtMs(),
            state.getTurns(),
            state.getToolCalls(),
            state.getReconnects(),
            state.getUsage(),
            scope.now()));
  }
}
