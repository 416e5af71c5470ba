package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.voicebus.realtime.json.NodeDeserializer;
import java.io.IOException;

/**
 * {@code tool_choice}: a mode string ({@code auto}, {@code none}, {@code required}), a specific
 * function {@code {type:function,name}}, or an MCP tool {@code {type:mcp,server_label,name}}.
 */
@JsonDeserialize(using = ToolChoice.Reader.class)
public sealed interface ToolChoice
    permits ToolChoice.Mode, ToolChoice.FunctionChoice, ToolChoice.McpChoice {

  Mode AUTO = new Mode("auto");
  Mode NONE = new Mode("none");
  Mode REQUIRED = new Mode("required");

  /** A mode, written as a JSON string. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Mode(@JsonValue String value) implements ToolChoice {}

  /** Forces the named function. */
  @JsonPropertyOrder({"type", "name"})
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record FunctionChoice(String name) implements ToolChoice {
    @JsonProperty("type")
    String type() {
      return "function";
    }
  }

  /** Forces a tool of an MCP server ({@code name} may be null). */
  @JsonPropertyOrder({"type", "server_label", "name"})
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record McpChoice(String serverLabel, String name) implements ToolChoice {
    @JsonProperty("type")
    String type() {
      return "mcp";
    }
  }

  /** Picks the variant by JSON shape and {@code type}. */
  final class Reader extends NodeDeserializer<ToolChoice> {
    Reader() {
      super(ToolChoice.class);
    }

    @Override
    protected ToolChoice fromNode(JsonNode node, DeserializationContext ctxt) throws IOException {
      if (node.isTextual()) {
        return new Mode(node.asText());
      }
      String type = text(node, "type");
      if ("function".equals(type)) {
        return new FunctionChoice(text(node, "name"));
      }
      if ("mcp".equals(type)) {
        return new McpChoice(text(node, "server_label"), text(node, "name"));
      }
      throw ctxt.weirdStringException(
          String.valueOf(node), ToolChoice.class, "expected auto|none|required, function or mcp");
    }
  }
}
