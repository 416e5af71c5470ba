package dev.voicebus.worker.session;

import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a call stops on this worker: it ends (the caller hung up), the worker ends it (a fatal error
 * or a limit: the caller's ingest node is told to hang up, and the state is marked so no later
 * owner reopens it), or it is handed over to another worker. Ending publishes the session's last
 * lifecycle event and the call's totals.
 */
final class CallClosing {

  private static final Logger log = LoggerFactory.getLogger(CallClosing.class);

  private final CallScope scope;
  private final ToolCalls tools;

  CallClosing(CallScope scope, ToolCalls tools) {
    this.scope = scope;
    this.tools = tools;
  }

  /** CallEnded from ingest. */
  void end(String reason) {
    shutDown(1000, "call ended");
    closed(reason);
    scope.trace.ended(reason, scope.now());
    log.info("[{}] Call ended ({}), {} turns", scope.callId(), reason, scope.state().getTurns());
  }

  /** The worker ends the call: the caller's ingest node hangs up. */
  void fail(String code, String message) {
    log.warn("[{}] Ending call: {}", scope.callId(), message);
    scope.error(ErrorSource.WORKER, code, message, true);
    scope.toCaller(Records.hangup(scope.callId(), code, scope.now()));
    if (scope.link().isEnded()) {
      scope.emit(new Effect.CancelAllTimers());
    } else {
      shutDown(1000, code);
    }
    scope.change(new StateChange.Ended(code));
    closed(code);
    scope.trace.failed(code, scope.now());
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
    tools.forget();
    scope.emit(new Effect.CancelAllTimers());
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
