package dev.voicebus.worker.session;

import dev.voicebus.realtime.event.RealtimeError;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.realtime.SessionConfigs;
import dev.voicebus.worker.state.StateChange;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server says about the session's health and cost: error events (benign ones ignored, a
 * refused response retried after the active one, fatal ones ending the call), each response's usage
 * and cost, failed responses, and whether the session took the call's audio format.
 */
final class RealtimeErrors {

  /** A reason to end the call. */
  record Fatal(String code, String message) {}

  private static final Logger log = LoggerFactory.getLogger(RealtimeErrors.class);
  private static final Set<String> FATAL_CODES =
      Set.of(
          "invalid_api_key",
          "insufficient_quota",
          "account_deactivated",
          "billing_hard_limit_reached");
  private static final Set<String> BENIGN_CODES =
      Set.of("response_cancel_not_active", "input_audio_buffer_commit_empty");

  private final CallScope scope;
  private final AgentTurns agent;

  RealtimeErrors(CallScope scope, AgentTurns agent) {
    this.scope = scope;
    this.agent = agent;
  }

  /** An {@code error} event; a fatal one is returned so the call ends. */
  Optional<Fatal> onError(RealtimeError error) {
    String code = error.code() == null ? "" : error.code();
    if ("conversation_already_has_active_response".equals(code)) {
      agent.gate().onAlreadyActive();
    } else if (BENIGN_CODES.contains(code)) {
      log.debug("[{}] Benign Realtime error {}", scope.callId(), code);
      return Optional.empty();
    }
    boolean fatal = FATAL_CODES.contains(code);
    scope.metrics.realtimeError(code);
    scope.publish(
        Records.realtimeError(scope.who, scope.sessionId(), redacted(error), fatal, scope.now()));
    return fatal
        ? Optional.of(new Fatal(code, "Realtime refused the session: " + error.message()))
        : Optional.empty();
  }

  /** The error with its message redacted (the server may quote what it was sent). */
  private RealtimeError redacted(RealtimeError error) {
    return new RealtimeError(
        error.type(),
        error.code(),
        error.message() == null ? null : scope.redaction.redact(error.message()),
        error.param(),
        error.eventId());
  }

  /** A response finished: its usage is billed, and a failure reported. */
  void onResponseDone(ServerEvent.ResponseDone done) {
    var response = done.response();
    if (response == null) {
      return;
    }
    if (response.usage() != null) {
      double cost = scope.settings.prices().forModel(model()).cost(response.usage());
      scope.publish(
          Records.usage(
              scope.who, scope.sessionId(), response.id(), response.usage(), cost, scope.now()));
      var tokens = Records.tokens(response.usage());
      scope.change(new StateChange.ResponseBilled(tokens, cost));
      scope.metrics.usage(model(), tokens, cost);
    }
    if ("failed".equals(response.status())
        && response.statusDetails() != null
        && response.statusDetails().error() != null) {
      scope.metrics.realtimeError(response.statusDetails().error().code());
      scope.publish(
          Records.realtimeError(
              scope.who,
              scope.sessionId(),
              redacted(response.statusDetails().error()),
              false,
              scope.now()));
    }
  }

  private String model() {
    return scope.call.profile().model();
  }

  /** The session's effective config: its output format must be the call's codec. */
  Optional<Fatal> checkFormat(ServerEvent.SessionUpdated updated) {
    var wanted = SessionConfigs.format(scope.call.codec());
    var audio = updated.session() == null ? null : updated.session().audio();
    var got = audio == null || audio.output() == null ? null : audio.output().format();
    if (got != null && !wanted.type().equals(got.type())) {
      return Optional.of(
          new Fatal(
              "audio_format_mismatch",
              "The session's output format is "
                  + got.type()
                  + " but the call needs "
                  + wanted.type()));
    }
    return Optional.empty();
  }
}
