package dev.voicebus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.builtin.LookupOrderTool;
import dev.voicebus.tools.builtin.OrderBook;
import java.time.Instant;
import java.util.Optional;

/**
 * The tools the bridge answers in-process: the same built-in {@code lookup_order} (and its order
 * book) the tool executor runs; any other tool gets an "unsupported" error output.
 */
final class BridgeTools {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final LookupOrderTool lookupOrder = new LookupOrderTool(OrderBook.bundled());

  /** Runs {@code name} with {@code argumentsJson}; returns the output JSON for Realtime. */
  String run(String callId, String toolCallId, String name, String argumentsJson) {
    ObjectNode error = MAPPER.createObjectNode();
    if (!lookupOrder.name().equals(name)) {
      return error
          .put("error", "unsupported")
          .put("message", name + " is not available")
          .toString();
    }
    try {
      JsonNode args = MAPPER.readTree(argumentsJson == null ? "{}" : argumentsJson);
      ToolOutcome outcome =
          lookupOrder.execute(
              new ToolInvocation(
                  callId, toolCallId, Optional.empty(), args, Instant.now().plusSeconds(8)));
      if (outcome instanceof ToolOutcome.Ok ok) {
        return ok.output().toString();
      }
      ToolOutcome.Error e = (ToolOutcome.Error) outcome;
      return error.put("error", e.code()).put("message", e.message()).toString();
    } catch (Exception e) {
      return error.put("error", "failed").put("message", String.valueOf(e.getMessage())).toString();
    }
  }
}
