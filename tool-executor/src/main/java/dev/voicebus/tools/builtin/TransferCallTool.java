package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebus.tools.api.CallAction;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/**
 * Built-in {@code transfer_call}: answers with a typed {@link CallAction#transfer transfer action}
 * to the destination, which must be an E.164 number or a sip:/sips: URI (anything else is an error
 * the agent can speak about). Like {@link EndCallTool}, the executor has no route to the caller, so
 * the action travels on the ToolResult for the session worker.
 */
public final class TransferCallTool implements Tool {

  private static final JsonNode SCHEMA =
      ToolSchemas.parse(
          """
          {"type": "object",
           "properties": {"destination": {"type": "string", "minLength": 1,
              "description": "Where to transfer: an E.164 number such as +15551234567, or a SIP URI"}},
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
    String destination = invocation.arguments().get("destination").asText();
    if (!CallAction.Transfer.isValidTarget(destination)) {
      return ToolOutcome.error(
          "invalid_destination",
          "I can only transfer to a phone number or a SIP address, and "
              + destination
              + " is neither.");
    }
    return ToolOutcome.ok(
        JsonNodeFactory.instance.objectNode().put("transferring_to", destination),
        CallAction.transfer(destination, null));
  }
}
