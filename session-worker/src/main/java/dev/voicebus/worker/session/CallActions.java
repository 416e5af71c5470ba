package dev.voicebus.worker.session;

import dev.voicebus.avro.CallAction;
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
 */
final class CallActions {

  private static final Logger log = LoggerFactory.getLogger(CallActions.class);

  private record Transfer(
      String toolCallId, String target, String announcement, boolean announced) {}

  private final CallScope scope;
  private final AgentTurns agent;
  private boolean hangupRequested;
  private Transfer transfer;

  CallActions(CallScope scope, AgentTurns agent) {
    this.scope = scope;
    this.agent = agent;
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
    transfer = new Transfer(toolCallId, action.getTarget(), action.getAnnouncement(), false);
    log.info(
        "[{}] Transfer to {} asked by tool call {}",
        scope.callId(),
        action.getTarget(),
        toolCallId);
    if (agent.gate().state() == ResponseGate.State.IDLE) {
      proceed();
    }
    return true;
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
    if (transfer != null) {
      proceed();
    } else if (hangupRequested && !toolsPending) {
      hangupRequested = false;
      scope.toCaller(Records.hangup(scope.callId(), "agent ended the call", scope.now()));
    }
  }

  /** The announcement first, if there is one; then the hand-off to the carrier. */
  private void proceed() {
    if (transfer.announcement() != null && !transfer.announced()) {
      transfer =
          new Transfer(transfer.toolCallId(), transfer.target(), transfer.announcement(), true);
      agent.say(transfer.announcement());
      return;
    }
    scope.toCaller(
        Records.transfer(scope.callId(), transfer.target(), transfer.toolCallId(), scope.now()));
  }
}
