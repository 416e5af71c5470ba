package dev.voicebus.worker.runtime;

import dev.voicebus.realtime.client.RealtimeCalls;
import dev.voicebus.realtime.client.RealtimeCallsException;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.worker.session.CallCoordinator;
import dev.voicebus.worker.session.CallsAnswer;
import dev.voicebus.worker.session.Effect;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one SIP call's requests to OpenAI's calls API (accept, reject, refer, hang up) and
 * hands each answer back to the call as a {@link CallsAnswer}, so the coordinator decides on a
 * typed outcome and never on error text. Requests never block: their answers arrive on the HTTP
 * client's threads and are queued as the call's next input.
 */
final class SipCalls {

  private static final Logger log = LoggerFactory.getLogger(SipCalls.class);

  private final RealtimeCalls calls;
  private final String callId;
  private final String openAiCallId;
  private final Consumer<Function<CallCoordinator, List<Effect>>> call;

  /**
   * The requests of call {@code callId}, known to OpenAI as {@code openAiCallId}; answers go to
   * {@code call}.
   */
  SipCalls(
      RealtimeCalls calls,
      String callId,
      String openAiCallId,
      Consumer<Function<CallCoordinator, List<Effect>>> call) {
    this.calls = calls;
    this.callId = callId;
    this.openAiCallId = openAiCallId;
    this.call = call;
  }

  void accept(SessionConfig session) {
    request("accept", () -> calls.accept(openAiCallId, session))
        .whenComplete((ok, error) -> call.accept(c -> c.onAcceptAnswered(answer(error))));
  }

  void reject(int sipStatus) {
    request("reject", () -> calls.reject(openAiCallId, sipStatus))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.warn("[{}] Rejecting the SIP call failed: {}", callId, message(error));
              }
            });
  }

  void refer(String toolCallId, String targetUri) {
    request("refer", () -> calls.refer(openAiCallId, targetUri))
        .whenComplete(
            (ok, error) -> call.accept(c -> c.onReferAnswered(toolCallId, answer(error))));
  }

  void hangUp() {
    request("hangup", () -> calls.hangup(openAiCallId))
        .whenComplete((ok, error) -> call.accept(c -> c.onHangUpAnswered(answer(error))));
  }

  /** The request's future; arguments the client refuses at once fail it the same way. */
  private CompletableFuture<Void> request(
      String operation, Supplier<CompletableFuture<Void>> send) {
    try {
      log.debug("[{}] {} of SIP call {}", callId, operation, openAiCallId);
      return send.get();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** What an answer of the calls API means for the call (null error: done). */
  static CallsAnswer answer(Throwable error) {
    if (error == null) {
      return new CallsAnswer.Done();
    }
    Throwable cause = unwrap(error);
    if (cause instanceof RealtimeCallsException refused) {
      return switch (refused.kind()) {
        case ALREADY_ACCEPTED -> new CallsAnswer.AlreadyAccepted();
        case CALL_NOT_FOUND -> new CallsAnswer.CallGone(refused.getMessage());
        default -> new CallsAnswer.Failed(refused.getMessage(), refused.isRetriable());
      };
    }
    return new CallsAnswer.Failed(message(cause), false);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static String message(Throwable error) {
    Throwable cause = unwrap(error);
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
