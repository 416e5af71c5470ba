package dev.voicebus.worker.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.PendingTool;
import dev.voicebus.worker.state.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's tool calls: each function call the model makes is published for the tool executor with
 * a deadline; its result (or, past the deadline, a timeout the model can apologise for) goes back
 * into the conversation followed by a response request, so the caller never waits in silence. A
 * result arriving after its call was settled is dropped and reported. A result's typed call action
 * is acted on only when the result is OK.
 */
final class ToolCalls {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(ToolCalls.class);

  private final CallScope scope;
  private final AgentTurns agent;
  private final CallActions actions;
  private final Map<String, Instant> askedAt = new HashMap<>();

  ToolCalls(CallScope scope, AgentTurns agent, CallActions actions) {
    this.scope = scope;
    this.agent = agent;
    this.actions = actions;
  }

  /** Re-arms the deadlines of the tool calls a previous owner was waiting for. */
  void restorePending() {
    for (PendingTool tool : scope.state().getPendingTools()) {
      askedAt.put(tool.getToolCallId(), scope.now());
      scope.startTimer(
          new TimerKey.ToolDeadline(tool.getToolCallId()),
          Duration.ofMillis(tool.getDeadlineMs() - scope.now().toEpochMilli()));
    }
  }

  void onFunctionCall(ServerEvent.ResponseFunctionCallArgumentsDone done) {
    Instant deadline = scope.now().plus(scope.call.profile().toolTimeout());
    String arguments = protect(done.name(), done.arguments() == null ? "{}" : done.arguments());
    var call =
        ToolCall.newBuilder()
            .setCallId(scope.callId())
            .setToolCallId(done.callId())
            .setName(done.name())
            .setArgumentsJson(arguments)
            .setDeadline(deadline)
            .setRequestedAt(scope.now())
            .setTenantId(scope.who.tenantId())
            .setAgentProfile(scope.who.agentProfile())
            .setExternalCallId(scope.who.externalCallId())
            .setResponseId(done.responseId())
            .setItemId(done.itemId())
            .build();
    askedAt.put(done.callId(), scope.now());
    var traceparent = scope.trace.toolCall(done.callId(), done.name(), arguments, scope.now());
    scope.emit(new Effect.PublishToolCall(call, traceparent));
    scope.change(
        new StateChange.EntryAdded(
            new ConversationEntry(
                EntryKind.TOOL_CALL,
                done.itemId(),
                call.getArgumentsJson(),
                done.callId(),
                done.name())));
    scope.change(
        new StateChange.ToolRequested(
            new PendingTool(done.callId(), done.name(), deadline.toEpochMilli())));
    scope.startTimer(new TimerKey.ToolDeadline(done.callId()), scope.call.profile().toolTimeout());
  }

  /** {@code traceparent} names the tool executor's span that answered (may be null). */
  void onResult(ToolResult result, String traceparent) {
    String id = result.getToolCallId();
    Instant asked = askedAt.remove(id);
    if (asked == null) {
      boolean late = scope.state().getSettledTools().contains(id);
      scope.metrics.toolCall(late ? "late" : "unknown");
      scope.error(
          ErrorSource.TOOL,
          late ? "late_tool_result" : "unknown_tool_result",
          "Dropped result of tool call "
              + id
              + " ("
              + result.getName()
              + "): it was already settled or never asked for",
          false);
      return;
    }
    scope.cancelTimer(new TimerKey.ToolDeadline(id));
    scope.metrics.toolRoundTrip(Duration.between(asked, scope.now()), result.getDurationMs());
    scope.metrics.toolCall(result.getStatus().name().toLowerCase(java.util.Locale.ROOT));
    CallAction action = result.getStatus() == ToolStatus.OK ? result.getAction() : null;
    if (action != null && action.getKind() == CallActionKind.TRANSFER) {
      if (actions.transfer(id, action)) {
        waitForCarrier(id, asked);
        return;
      }
      scope.trace.toolSettled(id, "error", "transfer_unsupported", traceparent, scope.now());
      scope.error(
          ErrorSource.WORKER,
          "transfer_unsupported",
          "Transfer to "
              + action.getTarget()
              + " asked by "
              + result.getName()
              + " is not possible: this "
              + scope.call.source()
              + " call did not come in through a carrier that can move it",
          false);
      settle(
          id,
          errorJson(
              "transfer_unsupported",
              "This call cannot be transferred. Tell the caller and offer to help otherwise."));
      return;
    }
    if (action != null && action.getKind() == CallActionKind.HANGUP) {
      actions.hangUpAfterGoodbye();
    }
    scope.trace.toolSettled(
        id,
        result.getStatus().name().toLowerCase(java.util.Locale.ROOT),
        null,
        traceparent,
        scope.now());
    settle(id, result.getOutputJson());
  }

  /**
   * The transfer's tool call stays open until the carrier's outcome: a failure comes back as its
   * result, and no outcome within {@code worker.transfer-timeout} is a timeout the model hears.
   */
  private void waitForCarrier(String toolCallId, Instant asked) {
    askedAt.put(toolCallId, asked);
    Duration wait = scope.settings.transferTimeout();
    scope.startTimer(new TimerKey.ToolDeadline(toolCallId), wait);
    scope.change(
        new StateChange.ToolDeadlineMoved(toolCallId, scope.now().plus(wait).toEpochMilli()));
  }

  /**
   * The carrier could not transfer a SIP call ({@code /refer} failed): the transfer's tool call is
   * answered with an error the model tells the caller, and the call goes on. Ignored if the tool
   * call was settled already (its deadline passed).
   */
  void transferFailed(String toolCallId, String detail) {
    if (askedAt.remove(toolCallId) == null) {
      return;
    }
    scope.cancelTimer(new TimerKey.ToolDeadline(toolCallId));
    scope.metrics.toolCall("error");
    scope.trace.toolSettled(toolCallId, "error", "transfer_failed", null, scope.now());
    scope.error(
        ErrorSource.WORKER,
        "transfer_failed",
        "Transfer asked by tool call " + toolCallId + " failed: " + detail,
        false);
    settle(
        toolCallId,
        errorJson(
            "transfer_failed",
            "The transfer did not go through. Tell the caller and offer to help otherwise."));
  }

  /** A tool's deadline passed; ignored if its result came first. */
  void onDeadline(String toolCallId) {
    if (askedAt.remove(toolCallId) == null) {
      return;
    }
    String name =
        scope.state().getPendingTools().stream()
            .filter(p -> p.getToolCallId().equals(toolCallId))
            .map(PendingTool::getName)
            .findFirst()
            .orElse("tool");
    scope.metrics.toolCall("timeout");
    scope.trace.toolSettled(toolCallId, "timeout", null, null, scope.now());
    scope.error(
        ErrorSource.TOOL,
        "tool_timeout",
        "Tool " + name + " (" + toolCallId + ") did not answer before its deadline",
        false);
    settle(
        toolCallId,
        errorJson(
            "timeout",
            "The "
                + name
                + " tool did not answer in time. Apologise briefly and offer to try again or help"
                + " otherwise."));
  }

  /** Whether tool calls other than a transfer in progress still wait for their results. */
  boolean othersPending() {
    return askedAt.keySet().stream().anyMatch(id -> !actions.isTransfer(id));
  }

  /** The pending deadlines are forgotten (the call ends on this worker). */
  void forget() {
    askedAt.clear();
  }

  /** Gives the model a tool's output (or timeout) and asks it to go on speaking. */
  private void settle(String toolCallId, String outputJson) {
    actions.transferAnswered(toolCallId);
    scope.send(
        new ClientEvent.ConversationItemCreate(
            ConversationItem.functionCallOutput(toolCallId, outputJson)));
    scope.change(
        new StateChange.EntryAdded(
            new ConversationEntry(
                EntryKind.TOOL_OUTPUT, null, redactedJson(outputJson), toolCallId, null)));
    scope.change(new StateChange.ToolSettled(toolCallId));
    agent.requestResponse();
  }

  /**
   * The arguments as they may leave the worker: the ones the profile's tool spec marks sensitive
   * sealed for the tool (AES-GCM, when a key is configured), everything else redacted.
   */
  private String protect(String tool, String arguments) {
    var pointers =
        scope.call.profile().tools().stream()
            .filter(t -> t.name().equals(tool))
            .flatMap(t -> t.sensitiveArguments().stream())
            .toList();
    String sealed = arguments;
    if (!pointers.isEmpty() && scope.settings.cipher().isPresent()) {
      try {
        sealed = scope.settings.cipher().get().sealFields(arguments, pointers);
      } catch (RuntimeException e) {
        log.warn(
            "[{}] Arguments of {} not sealed ({}); redacting them",
            scope.callId(),
            tool,
            e.getMessage());
      }
    }
    return redactedJson(sealed);
  }

  /** JSON with its sensitive values redacted; text that is not JSON is redacted as text. */
  private String redactedJson(String json) {
    try {
      return scope.redactor().redactJson(json);
    } catch (RuntimeException notJson) {
      return scope.redaction.redact(json);
    }
  }

  private static String errorJson(String code, String message) {
    return JSON.createObjectNode().put("error", code).put("message", message).toString();
  }
}
