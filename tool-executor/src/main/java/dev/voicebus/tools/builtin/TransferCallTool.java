package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/**
 * Built-in {@code transfer_call}: answers {@code {"action":"transfer","destination":...}}; the
 * session worker turns that into the transfer (like {@link EndCallTool}, the executor has no route
 * to the caller).
 */
public final class TransferCallTool implements Tool {

  private static final JsonNode SCHEMA =
      ToolSchemas.parse(
          """
          {"type": "object",
           "properties": {"destination": {"type": "string", "minLength": 1,
              "description": "Who to transfer to: a department such as billing, or a number"}},
           "required": ["destination"], "additionalProperties": false}
          """);

  @Override
  public String name() {
    return "transfer_call";
  }

  @Override
  public String description() {
    return "Transfers the caller to a human agent or department.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    return ToolOutcome.ok(
        JsonNodeFactory.instance
            .objectNode()
            .put("action", "transfer")
            .put("destination", invocation.arguments().get("destination").asText()));
  }
}
