package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Checks a client-created conversation item: a known type, a valid role and content types for
 * messages (no assistant audio, which only the model can produce), call_id and output strings for
 * function call outputs.
 */
final class ItemValidator {
  private static final Set<String> TYPES =
      Set.of(
          "message",
          "function_call",
          "function_call_output",
          "mcp_approval_response",
          "mcp_call",
          "mcp_list_tools",
          "mcp_approval_request");

  private ItemValidator() {}

  static ProtocolError validate(JsonNode item) {
    String type = item.path("type").asText(null);
    if (type == null) {
      return ProtocolError.missingParameter("item.type");
    }
    if (!TYPES.contains(type)) {
      return ProtocolError.invalidValue(
          "item.type", type, "'message', 'function_call', 'function_call_output'");
    }
    return switch (type) {
      case "message" -> message(item);
      case "function_call_output" -> functionOutput(item);
      case "function_call" ->
          item.path("call_id").isTextual() && item.path("name").isTextual()
              ? null
              : ProtocolError.missingParameter("item.call_id");
      default -> null;
    };
  }

  private static ProtocolError message(JsonNode item) {
    String role = item.path("role").asText(null);
    if (role == null) {
      return ProtocolError.missingParameter("item.role");
    }
    Set<String> allowed =
        switch (role) {
          case "system" -> Set.of("input_text");
          case "user" -> Set.of("input_text", "input_audio", "input_image");
          case "assistant" -> Set.of("output_text", "text");
          default -> null;
        };
    if (allowed == null) {
      return ProtocolError.invalidValue("item.role", role, "'system', 'user', 'assistant'");
    }
    JsonNode content = item.get("content");
    if (content == null || !content.isArray()) {
      return ProtocolError.missingParameter("item.content");
    }
    for (int i = 0; i < content.size(); i++) {
      String ct = content.get(i).path("type").asText();
      if (!allowed.contains(ct)) {
        return ProtocolError.invalidValue(
            "item.content[" + i + "].type", ct, "'" + String.join("', '", allowed) + "'");
      }
    }
    return null;
  }

  private static ProtocolError functionOutput(JsonNode item) {
    if (!item.path("call_id").isTextual()) {
      return ProtocolError.missingParameter("item.call_id");
    }
    if (!item.path("output").isTextual()) {
      return ProtocolError.missingParameter("item.output");
    }
    return null;
  }
}
