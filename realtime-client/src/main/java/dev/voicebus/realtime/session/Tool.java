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
 * A tool the model may call: a {@link FunctionTool} (name, description, JSON Schema parameters) or
 * any other tool type (such as {@code mcp}) kept as raw JSON in {@link RawTool}.
 */
@JsonDeserialize(using = Tool.Reader.class)
public sealed interface Tool permits Tool.FunctionTool, Tool.RawTool {

  /** A function the client implements; {@code parameters} is a JSON Schema object. */
  @JsonPropertyOrder({"type", "name", "description", "parameters"})
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record FunctionTool(String name, String description, JsonNode parameters) implements Tool {
    @JsonProperty("type")
    String type() {
      return "function";
    }
  }

  /** Any other tool (e.g. {@code {"type":"mcp","server_label":...}}), written back unchanged. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record RawTool(@JsonValue JsonNode raw) implements Tool {}

  /** Picks the variant by {@code type}. */
  final class Reader extends NodeDeserializer<Tool> {
    Reader() {
      super(Tool.class);
    }

    @Override
    protected Tool fromNode(JsonNode node, DeserializationContext ctxt) throws IOException {
      if ("function".equals(text(node, "type"))) {
        return new FunctionTool(
            text(node, "name"), text(node, "description"), node.get("parameters"));
      }
      return new RawTool(node);
    }
  }
}
