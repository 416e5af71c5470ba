package dev.voicebus.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebus.tools.api.CallAction;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/**
 * Built-in {@code end_call}. The executor does not know the caller's reply route, so it answers
 * with a typed {@link CallAction#hangup hang-up action}; the session worker acts on it (lets the
 * agent finish speaking, then publishes Hangup to audio.out and ends the session).
 */
public final class EndCallTool implements Tool {

  private static final JsonNode SCHEMA =
      ToolSchemas.parse(
          """
          {"type": "object",
           "properties": {"reason": {"type": "string",
                                     "description": "Why the call ends, e.g. resolved"}},
           "required": ["reason"], "additionalProperties": false}
          """);

  @Override
  public String name() {
    return "end_call";
  }

  @Override
  public String description() {
    return "Ends the phone call after saying goodbye. Call it when the caller's request is done.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    String reason = invocation.arguments().get("reason").asText();
    return ToolOutcome.ok(
        JsonNodeFactory.instance.objectNode().put("call_ending", true).put("reason", reason),
        CallAction.hangup(reason));
  }
}
