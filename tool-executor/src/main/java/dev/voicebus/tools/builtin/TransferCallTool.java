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
 * to the destination, optionally with a line for the agent to say first. With a {@link
 * TransferDirectory} the destination is one of its names ("billing") or one of its targets, and the
 * tool's description lists the names; without one it is any E.164 number or sip:/sips: URI.
 * Anything else is an error the agent can speak about. Like {@link EndCallTool}, the executor has
 * no route to the caller: the action travels on the ToolResult, and the session worker and ingest
 * carry it out (on Twilio calls; other calls get {@code transfer_unsupported}).
 */
public final class TransferCallTool implements Tool {

  private final TransferDirectory directory;
  private final JsonNode schema;

  /** Any E.164 number or SIP URI. */
  public TransferCallTool() {
    this(TransferDirectory.NONE);
  }

  /** The names (and targets) of {@code directory}; any number or URI when it is empty. */
  public TransferCallTool(TransferDirectory directory) {
    this.directory = directory;
    String destination =
        directory.isEmpty()
            ? "Where to transfer: an E.164 number such as +15551234567, or a SIP URI"
            : "Where to transfer: one of " + names();
    this.schema =
        ToolSchemas.parse(
            """
            {"type": "object",
             "properties": {
               "destination": {"type": "string", "minLength": 1, "description": %s},
               "announcement": {"type": "string",
                 "description": "A short sentence to say to the caller just before the transfer, e.g. Connecting you to billing now."}},
             "required": ["destination"], "additionalProperties": false}
            """
                .formatted(JsonNodeFactory.instance.textNode(destination)));
  }

  private String names() {
    return String.join(", ", directory.names());
  }

  @Override
  public String name() {
    return "transfer_call";
  }

  @Override
  public String description() {
    if (directory.isEmpty()) {
      return "Transfers the caller to a phone number or SIP address.";
    }
    return "Transfers the caller to a person or department: " + names() + ".";
  }

  @Override
  public JsonNode parametersSchema() {
    return schema;
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    String destination = invocation.arguments().get("destination").asText().strip();
    String announcement = invocation.arguments().path("announcement").asText("").strip();
    String target;
    if (directory.isEmpty()) {
      if (!CallAction.Transfer.isValidTarget(destination)) {
        return ToolOutcome.error(
            "invalid_destination",
            "I can only transfer to a phone number or a SIP address, and "
                + destination
                + " is neither.");
      }
      target = destination;
    } else {
      var named = directory.target(destination);
      if (named.isEmpty() && !directory.listsTarget(destination)) {
        return ToolOutcome.error(
            "unknown_destination",
            "I can't transfer to " + destination + ". I can transfer you to " + names() + ".");
      }
      target = named.orElse(destination);
    }
    return ToolOutcome.ok(
        JsonNodeFactory.instance
            .objectNode()
            .put("transferring_to", destination)
            .put("target", target),
        CallAction.transfer(target, announcement.isEmpty() ? null : announcement));
  }
}
