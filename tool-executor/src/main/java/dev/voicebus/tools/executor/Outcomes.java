package dev.voicebus.tools.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.avro.CallAction;
import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Builds the ToolResult records the executor publishes. Every error and timeout carries {@code
 * {"error": code, "message": sentence}}, a sentence the agent can say to the caller, so the model
 * never receives a stack trace and the caller never waits in silence.
 */
final class Outcomes {

  static final ObjectMapper JSON = new ObjectMapper();

  private Outcomes() {}

  /**
   * A finished execution before it becomes a record. Only an OK execution can carry a call action,
   * so an error or timeout never hangs up or transfers a call.
   */
  record Finished(
      ToolStatus status,
      JsonNode output,
      String errorCode,
      int attempts,
      Optional<dev.voicebus.tools.api.CallAction> action) {

    static Finished ok(JsonNode output, int attempts) {
      return ok(output, Optional.empty(), attempts);
    }

    static Finished ok(
        JsonNode output, Optional<dev.voicebus.tools.api.CallAction> action, int attempts) {
      return new Finished(ToolStatus.OK, output, null, attempts, action);
    }

    static Finished error(String code, String message, int attempts) {
      return new Finished(
          ToolStatus.ERROR, errorJson(code, message), code, attempts, Optional.empty());
    }

    /** The tool answered, but with more than {@code tool-executor.max-result-bytes}. */
    static Finished tooLarge(String tool, int attempts) {
      return error(
          "result_too_large",
          "The " + spoken(tool) + " tool returned more information than I can use.",
          attempts);
    }

    /**
     * A non-idempotent tool started for this call before (it has a recorded start), but what it
     * returned was lost in a crash: it is not run again, and the model is told the outcome is not
     * known, so it can say so instead of assuming either way.
     */
    static Finished outcomeUnknown(String tool) {
      return error(
          "outcome_unknown",
          "The "
              + spoken(tool)
              + " tool was started but its answer was lost, so I cannot tell whether it"
              + " completed. It was not run again.",
          1);
    }

    static Finished timeout(String tool, int attempts) {
      return new Finished(
          ToolStatus.TIMEOUT,
          errorJson("timeout", "The " + spoken(tool) + " tool did not answer in time."),
          "timeout",
          attempts,
          Optional.empty());
    }

    ToolResult toRecord(ToolCall call, Instant startedAt) {
      Instant now = Instant.now();
      return ToolResult.newBuilder()
          .setCallId(call.getCallId())
          .setToolCallId(call.getToolCallId())
          .setName(call.getName())
          .setStatus(status)
          .setOutputJson(output.toString())
          .setDurationMs(Math.max(0, Duration.between(startedAt, now).toMillis()))
          .setAttempts(attempts)
          .setCompletedAt(now)
          .setAction(action.map(Outcomes::toRecord).orElse(null))
          .setTenantId(call.getTenantId())
          .setAgentProfile(call.getAgentProfile())
          .setExternalCallId(call.getExternalCallId())
          .build();
    }
  }

  /** The contract's form of a tool's call action. */
  static CallAction toRecord(dev.voicebus.tools.api.CallAction action) {
    if (action instanceof dev.voicebus.tools.api.CallAction.Hangup hangup) {
      return new CallAction(CallActionKind.HANGUP, hangup.reason(), null, null);
    }
    if (action instanceof dev.voicebus.tools.api.CallAction.PauseRecording) {
      return new CallAction(CallActionKind.PAUSE_RECORDING, null, null, null);
    }
    if (action instanceof dev.voicebus.tools.api.CallAction.ResumeRecording) {
      return new CallAction(CallActionKind.RESUME_RECORDING, null, null, null);
    }
    var transfer = (dev.voicebus.tools.api.CallAction.Transfer) action;
    return new CallAction(
        CallActionKind.TRANSFER, null, transfer.target(), transfer.announcement().orElse(null));
  }

  static ObjectNode errorJson(String code, String message) {
    return JSON.createObjectNode().put("error", code).put("message", message);
  }

  /** {@code lookup_order} is said as "lookup order". */
  static String spoken(String tool) {
    return tool.replace('_', ' ').replace('-', ' ');
  }
}
