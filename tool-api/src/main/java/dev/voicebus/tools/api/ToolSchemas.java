package dev.voicebus.tools.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Helpers for tool authors who prefer to write their parameters schema as a JSON string. */
public final class ToolSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolSchemas() {}

  /** Parses {@code json}; fails naming the problem if it is not JSON or not an object. */
  public static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("A tool's parameters schema must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Invalid JSON in a tool's parameters schema: " + e.getOriginalMessage(), e);
    }
  }

  /** The schema of a tool without arguments: {@code {"type":"object","properties":{}}}. */
  public static JsonNode noArguments() {
    return parse("{\"type\":\"object\",\"properties\":{}}");
  }
}
