package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallToolCall;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import java.util.Comparator;

/**
 * The tool part of a call document: one entry per toolCallId, from its ToolCall and its ToolResult
 * in whichever order they arrive (they travel on different topics), with the round trip from the
 * request to the result.
 */
final class ToolUpdates {

  private static final Comparator<CallToolCall> BY_REQUEST =
      Comparator.comparing(
          CallToolCall::getRequestedAt,
          Comparator.nullsLast(Comparator.<java.time.Instant>naturalOrder()));

  private ToolUpdates() {}

  static void requested(Draft d, ToolCall call, int maxChars) {
    d.identify(call.getTenantId(), call.getAgentProfile(), call.getExternalCallId());
    int index = d.toolIndex(call.getToolCallId());
    CallToolCall.Builder entry =
        index >= 0 ? CallToolCall.newBuilder(d.tools.get(index)) : newEntry(call.getToolCallId());
    String args = call.getArgumentsJson();
    entry
        .setName(call.getName())
        .setArgumentsJson(clip(args, maxChars, d))
        .setClipped(entry.getClipped() || Texts.clipped(args, maxChars))
        .setRequestedAt(call.getRequestedAt())
        .setDeadline(call.getDeadline());
    put(d, index, latency(entry));
  }

  /** Applies a result; true when it is the first result of its tool call. */
  static boolean answered(Draft d, ToolResult result, int maxChars) {
    d.identify(result.getTenantId(), result.getAgentProfile(), result.getExternalCallId());
    int index = d.toolIndex(result.getToolCallId());
    CallToolCall.Builder entry;
    if (index >= 0) {
      entry = CallToolCall.newBuilder(d.tools.get(index));
    } else {
      entry = newEntry(result.getToolCallId()).setName(result.getName());
    }
    boolean first = entry.getStatus() == null;
    String output = result.getOutputJson();
    entry
        .setStatus(result.getStatus())
        .setOutputJson(clip(output, maxChars, d))
        .setClipped(entry.getClipped() || Texts.clipped(output, maxChars))
        .setCompletedAt(result.getCompletedAt())
        .setDurationMs(result.getDurationMs());
    if (result.getAction() != null) {
      entry
          .setActionKind(result.getAction().getKind())
          .setActionTarget(result.getAction().getTarget());
    }
    put(d, index, latency(entry));
    if (first && isError(result.getStatus())) {
      d.metrics.setToolErrors(d.metrics.getToolErrors() + 1);
    }
    return first;
  }

  static boolean isError(ToolStatus status) {
    return status == ToolStatus.ERROR || status == ToolStatus.TIMEOUT;
  }

  private static CallToolCall.Builder newEntry(String toolCallId) {
    return CallToolCall.newBuilder().setToolCallId(toolCallId).setName("").setArgumentsJson("");
  }

  private static void put(Draft d, int index, CallToolCall.Builder entry) {
    if (index >= 0) {
      d.tools.set(index, entry.build());
    } else {
      d.tools.add(entry.build());
      d.metrics.setToolCalls(d.metrics.getToolCalls() + 1);
    }
    d.tools.sort(BY_REQUEST);
  }

  private static CallToolCall.Builder latency(CallToolCall.Builder entry) {
    if (entry.getRequestedAt() != null && entry.getCompletedAt() != null) {
      entry.setLatencyMs(
          Math.max(
              0, entry.getCompletedAt().toEpochMilli() - entry.getRequestedAt().toEpochMilli()));
    }
    return entry;
  }

  private static String clip(String text, int maxChars, Draft d) {
    if (Texts.clipped(text, maxChars)) {
      d.truncation.setClippedTexts(d.truncation.getClippedTexts() + 1);
    }
    return Texts.clip(text, maxChars);
  }
}
