package dev.voicebus.worker.session;

import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.worker.output.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What tools ask the call itself to do, carried out once the agent has finished speaking: a hang-up
 * after the goodbye, or a transfer. A transfer first lets the agent say the tool's announcement (if
 * any), then asks the caller's ingest node to hand the call to the target through the carrier once
 * the queued audio has played; the transfer's tool call stays open until the carrier's outcome: a
 * failure comes back as that call's error result and the model tells the caller, success ends the
 * call as TRANSFERRED.
 *
 * <p>A SIP call's audio plays on the phone leg at OpenAI, so "finished speaking" means its audio
 * buffer stopped, not just the response done; its hang-up and transfer go through the calls API
 * ({@code /hangup}, {@code /refer}), and the worker publishes the call's end itself.
 */
final class CallActions {

  private static final Logger log = LoggerFactory.getLogger(CallActions.class);

  private record Transfer(
      String toolCallId,
      String target,
      String announcement,
      boolean announced,
      boolean handedOff) {}

  private final CallScope scope;
  private final AgentTurns agent;
  private final CallClosing closing;
  private boolean hangupRequested;
  private Transfer transfer;

  CallActions(CallScope scope, AgentTurns agent, CallClosing closing) {
    this.scope = scope;
    this.agent = agent;
    this.closing = closing;
  }

  /** A tool asked to end the call: done when the agent has said its goodbye. */
  void hangUpAfterGoodbye() {
    hangupRequested = true;
  }

  /**
   * A tool asked to transfer the call. False when this call cannot be transferred (it did not come
   * in through a carrier that can move it).
   */
  boolean transfer(String toolCallId, CallAction action) {
    if (!scope.call.transferable()) {
      return false;
    }
    transfer = new Transfer(toolCallId, action.getTarget(), action.getAnnouncement(), false, false);
    log.info(
        "[{}] Transfer to {} asked by tool call {}",
        scope.callId(),
        action.getTarget(),
        toolCallId);
    if (agent.gate().state() == ResponseGate.State.IDLE && !agent.isPlayingOnPhone()) {
      proceed();
    }
    return true;
  }

  /** Whether a SIP call's REFER is out and its answer not back yet. */
  boolean isReferring() {
    return transfer != null && transfer.handedOff() && scope.call.isSip();
  }

  /**
   * OpenAI answered the REFER of a SIP call's transfer {@code toolCallId} with success, or said the
   * call is gone: the call is over either way. (A failure goes back to the model as the transfer's
   * tool result, see {@link ToolCalls#transferFailed}.)
   */
  void referEnded(String toolCallId, CallsAnswer answer) {
    if (!isTransfer(toolCallId)) {
      return;
    }
    String target = transfer.target();
    transfer = null;
    if (answer instanceof CallsAnswer.CallGone gone) {
      closing.sipCallOver(
          CallEndReason.CALLER_HANGUP,
          "the call ended during its transfer: " + gone.detail(),
          null);
    } else {
      closing.sipCallOver(CallEndReason.TRANSFERRED, "transferred to " + target, target);
    }
  }

  /** Whether {@code toolCallId} is the transfer in progress. */
  boolean isTransfer(String toolCallId) {
    return transfer != null && transfer.toolCallId().equals(toolCallId);
  }

  /** The transfer's tool call got its answer (a failure or a timeout): the call goes on. */
  void transferAnswered(String toolCallId) {
    if (isTransfer(toolCallId)) {
      transfer = null;
    }
  }

  /**
   * The agent finished a response and nothing else was asked of it; {@code toolsPending} says
   * whether tool calls other than a transfer still wait for results.
   */
  void onAgentQuiet(boolean toolsPending) {
    if (agent.isPlayingOnPhone()) {
      // A SIP call's last words still play on the phone leg: asked again when they stopped.
      return;
    }
    if (transfer != null) {
      proceed();
    } else if (hangupRequested && !toolsPending) {
      hangupRequested = false;
      if (scope.call.isSip()) {
        scope.emit(new Effect.HangUpCall());
        closing.sipCallOver(CallEndReason.AGENT_HANGUP, "agent ended the call", null);
      } else {
        scope.toCaller(Records.hangup(scope.callId(), "agent ended the call", scope.now()));
      }
    }
  }

  /** The announcement first, if there is one; then, once, the hand-off to the carrier. */
  private void proceed() {
    if (transfer.handedOff()) {
      return;
    }
    if (transfer.announcement() != null && !transfer.announced()) {
      transfer =
          new Transfer(
              transfer.toolCallId(), transfer.target(), transfer.announcement(), true, false);
      agent.say(transfer.announcement());
      return;
    }
    transfer =
        new Transfer(transfer.toolCallId(), transfer.target(), transfer.announcement(), true, true);
    if (scope.call.isSip()) {
      log.info("[{}] Referring the call to {}", scope.callId(), transfer.target());
      scope.emit(new Effect.ReferCall(transfer.toolCallId(), referUri(transfer.target())));
    } else {
      scope.toCaller(
          Records.transfer(scope.callId(), transfer.target(), transfer.toolCallId(), scope.now()));
    }
  }

  /** A transfer target (E.164 number or SIP URI) as a REFER's target URI. */
  static String referUri(String target) {
    return target != null && target.startsWith("+") ? "tel:" + target : target;
  }
}
