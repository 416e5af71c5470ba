package dev.voicebus.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the model is told about one tool: the entry the session worker puts in the Realtime
 * session's {@code tools} array.
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {

  /** The Realtime API's function tool: {@code {"type":"function","name",...,"parameters"}}. */
  public ObjectNode toRealtimeTool() {
    ObjectNode tool = JsonNodeFactory.instance.objectNode();
    tool.put("type", "function");
    tool.put("name", name);
    tool.put("description", description);
    tool.set("parameters", parameters.deepCopy());
    return tool;
  }
}
