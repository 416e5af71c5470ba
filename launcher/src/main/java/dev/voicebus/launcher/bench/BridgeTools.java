package dev.voicebus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.builtin.BuiltinTools;
import dev.voicebus.tools.builtin.LookupOrderTool;
import dev.voicebus.tools.builtin.OrderBook;
import dev.voicebus.worker.tools.CatalogueTool;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tools the bridge answers in-process: the same built-in {@code lookup_order} (and its order
 * book) the tool executor runs; any other tool gets an "unsupported" error output. The bridge
 * offers the model what a worker would: the built-in tools the profile names, as the catalogue has
 * them.
 */
final class BridgeTools {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, CatalogueTool> CATALOGUE = builtins();
  private final LookupOrderTool lookupOrder = new LookupOrderTool(OrderBook.bundled());

  /** The built-in tools as the tool catalogue holds them, by name. */
  static Map<String, CatalogueTool> catalogue() {
    return CATALOGUE;
  }

  private static Map<String, CatalogueTool> builtins() {
    Map<String, CatalogueTool> tools = new HashMap<>();
    for (Tool tool : BuiltinTools.all(Optional.empty())) {
      tools.put(
          tool.name(),
          new CatalogueTool(
              tool.name(), tool.description(), tool.parametersSchema(), null, null, null));
    }
    return Map.copyOf(tools);
  }

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
