package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/** A Java tool found through META-INF/services: answers {@code {"echo": text, "callId": ...}}. */
public final class EchoTool implements Tool {

  @Override
  public String name() {
    return "echo_test";
  }

  @Override
  public String description() {
    return "Repeats the text it is given.";
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.parse(
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
            + "\"required\":[\"text\"]}");
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    Executions.record(invocation.toolCallId());
    return ToolOutcome.ok(
        JsonNodeFactory.instance
            .objectNode()
            .put("echo", invocation.arguments().get("text").asText())
            .put("callId", invocation.callId()));
  }
}
