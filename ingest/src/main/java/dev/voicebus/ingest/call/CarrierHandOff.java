package dev.voicebus.ingest.call;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.ingest.server.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the carrier does when the agent's Hangup comes due (its queued audio has played): a plain
 * hang-up closes the stream (and, where enabled, completes the call through the carrier); a
 * transfer asks the carrier to move the caller. While the carrier has not answered, the call's end
 * waits for it (Twilio may stop the stream before its answer arrives); once it has accepted, the
 * call ends as TRANSFERRED however the stream goes away; a refusal becomes the transfer tool call's
 * error result on tool.results, and the call goes on. Confined to the call's event loop.
 */
final class CarrierHandOff {

  private static final Logger log = LoggerFactory.getLogger(CarrierHandOff.class);

  /** How long a transferred call's stream may stay open before this node closes it. */
  static final long STREAM_STOP_TIMEOUT_MS = 10_000;

  /** How a call ends: the reason, a detail, and the transfer target of a transferred call. */
  record Ending(CallEndReason reason, String detail, String transferTarget) {}

  private record Asked(String target, String toolCallId, long askedAtNanos) {}

  private final CallSession call;
  private final Optional<CallCarrier> carrier;
  private Asked inFlight;
  private String transferredTo;
  private Ending heldEnding;

  CarrierHandOff(CallSession call, Optional<CallCarrier> carrier) {
    this.call = call;
    this.carrier = carrier;
  }

  /** The agent's Hangup came due. */
  void onHangup(Hangup hangup) {
    String reason = hangup.getReason() == null ? "agent hangup" : hangup.getReason();
    if (hangup.getTransferTarget() == null) {
      carrier.filter(CallCarrier::hangsUpOnAgentHangup).ifPresent(this::hangUpAtCarrier);
      call.fail(CallEndReason.AGENT_HANGUP, 1000, reason);
      return;
    }
    if (inFlight != null || transferredTo != null) {
      log.warn(
          "Call {}: transfer to {} ignored, a transfer is already under way",
          call.callId(),
          hangup.getTransferTarget());
      return;
    }
    if (carrier.isEmpty()) {
      refuse(
          new Asked(hangup.getTransferTarget(), hangup.getToolCallId(), System.nanoTime()),
          "The transfer to "
              + hangup.getTransferTarget()
              + " did not go through: this call cannot be moved by its carrier. Tell the caller"
              + " and offer to help another way.",
          "no carrier control for this call");
      return;
    }
    Asked asked = new Asked(hangup.getTransferTarget(), hangup.getToolCallId(), System.nanoTime());
    inFlight = asked;
    log.info("Call {}: transferring to {}", call.callId(), asked.target());
    carrier
        .get()
        .transfer(asked.target())
        .whenComplete((ok, error) -> onCallLoop(() -> carrierAnswered(asked, error)));
  }

  /** Runs {@code action} on the call's event loop, unless the node has already shut it down. */
  private void onCallLoop(Runnable action) {
    try {
      call.eventLoop().execute(action);
    } catch (RejectedExecutionException e) {
      log.warn("Call {}: the carrier answered after the node stopped", call.callId());
    }
  }

  private void hangUpAtCarrier(CallCarrier c) {
    c.hangUp()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.warn(
                    "Call {}: completing it at the carrier failed: {}",
                    call.callId(),
                    unwrap(error).getMessage());
              }
            });
  }

  private void carrierAnswered(Asked asked, Throwable error) {
    inFlight = null;
    long tookMs = (System.nanoTime() - asked.askedAtNanos()) / 1_000_000;
    if (error == null) {
      transferredTo = asked.target();
      log.info("Call {}: transferred to {} ({} ms)", call.callId(), asked.target(), tookMs);
      if (heldEnding != null) {
        call.endNow(transferred());
      } else {
        call.eventLoop()
            .schedule(
                () -> call.fail(CallEndReason.TRANSFERRED, 1000, "transferred"),
                STREAM_STOP_TIMEOUT_MS,
                TimeUnit.MILLISECONDS);
      }
      return;
    }
    Throwable cause = unwrap(error);
    if (heldEnding != null) {
      log.info(
          "Call {}: the transfer failed after the call ended: {}", call.callId(), detail(cause));
      call.endNow(heldEnding);
      return;
    }
    refuse(asked, cause.getMessage(), detail(cause));
  }

  private void refuse(Asked asked, String sentence, String detail) {
    log.warn("Call {}: transfer to {} failed: {}", call.callId(), asked.target(), detail);
    call.metrics().error("transfer-failed");
    if (asked.toolCallId() == null) {
      log.warn("Call {}: the transfer names no tool call, so the model is not told", call.callId());
      return;
    }
    call.publishToolResult(
        ToolResult.newBuilder()
            .setCallId(call.callId())
            .setToolCallId(asked.toolCallId())
            .setName("transfer_call")
            .setStatus(ToolStatus.ERROR)
            .setOutputJson(
                "{\"error\":\"transfer_failed\",\"message\":" + Json.quote(sentence) + "}")
            .setDurationMs((System.nanoTime() - asked.askedAtNanos()) / 1_000_000)
            .setCompletedAt(Instant.now())
            .build());
  }

  /**
   * How the call ends when it is ending for {@code reason}: as TRANSFERRED once the carrier has
   * moved the caller; empty while the carrier has not answered a transfer (its answer then ends the
   * call).
   */
  Optional<Ending> ending(CallEndReason reason, String detail) {
    if (transferredTo != null) {
      return Optional.of(transferred());
    }
    if (inFlight != null) {
      if (heldEnding == null) {
        heldEnding = new Ending(reason, detail, null);
      }
      return Optional.empty();
    }
    return Optional.of(new Ending(reason, detail, null));
  }

  private Ending transferred() {
    return new Ending(CallEndReason.TRANSFERRED, "transferred to " + transferredTo, transferredTo);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static String detail(Throwable cause) {
    return cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage();
  }
}
