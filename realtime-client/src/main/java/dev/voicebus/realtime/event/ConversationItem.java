package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.voicebus.realtime.json.NodeDeserializer;
import java.io.IOException;
import java.util.List;

/**
 * An item of the conversation: a {@link Message}, a {@link FunctionCall} by the model, the client's
 * {@link FunctionCallOutput}, or any other item type ({@code mcp_*}, {@code item_reference}, future
 * types) kept as raw JSON in {@link RawItem}. {@code id}, {@code object} ({@code realtime.item})
 * and {@code status} (completed|incomplete|in_progress) are optional in requests.
 */
@JsonDeserialize(using = ConversationItem.Reader.class)
public sealed interface ConversationItem
    permits ConversationItem.Message,
        ConversationItem.FunctionCall,
        ConversationItem.FunctionCallOutput,
        ConversationItem.RawItem {

  /** The item id, or null. */
  String id();

  /** The item type as on the wire ({@code message}, {@code function_call}, ...). */
  String type();

  /**
   * A message; system messages hold input_text, user input_text/audio/image, assistant output_*.
   */
  @JsonPropertyOrder({"id", "object", "type", "status", "role", "content"})
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Message(String id, String object, String status, Role role, List<ContentPart> content)
      implements ConversationItem {
    @Override
    @JsonProperty("type")
    public String type() {
      return "message";
    }
  }

  /** The model calling a function; {@code arguments} is a JSON string. */
  @JsonPropertyOrder({"id", "object", "type", "status", "call_id", "name", "arguments"})
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record FunctionCall(
      String id, String object, String status, String callId, String name, String arguments)
      implements ConversationItem {
    @Override
    @JsonProperty("type")
    public String type() {
      return "function_call";
    }
  }

  /** The client's result of a function call; {@code output} is a free-form (often JSON) string. */
  @JsonPropertyOrder({"id", "object", "type", "status", "call_id", "output"})
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record FunctionCallOutput(String id, String object, String status, String callId, String output)
      implements ConversationItem {
    @Override
    @JsonProperty("type")
    public String type() {
      return "function_call_output";
    }
  }

  /** Any other item, written back exactly as received. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record RawItem(@JsonValue JsonNode raw) implements ConversationItem {
    @Override
    public String id() {
      JsonNode id = raw.get("id");
      return id == null || id.isNull() ? null : id.asText();
    }

    @Override
    public String type() {
      return raw.path("type").asText(null);
    }
  }

  /** A user message with one text part. */
  static Message userText(String text) {
    return new Message(null, null, null, Role.USER, List.of(ContentPart.inputText(text)));
  }

  /** A system message with one text part. */
  static Message systemText(String text) {
    return new Message(null, null, null, Role.SYSTEM, List.of(ContentPart.inputText(text)));
  }

  /** An assistant message with one text part (replaying an earlier agent turn). */
  static Message assistantText(String text) {
    return new Message(null, null, null, Role.ASSISTANT, List.of(ContentPart.outputText(text)));
  }

  /** A function call as the model made it (for replaying the conversation). */
  static FunctionCall functionCall(String callId, String name, String arguments) {
    return new FunctionCall(null, null, null, callId, name, arguments);
  }

  /** The result of a function call. */
  static FunctionCallOutput functionCallOutput(String callId, String output) {
    return new FunctionCallOutput(null, null, null, callId, output);
  }

  /** Picks the variant by {@code type}; unknown types become {@link RawItem}. */
  final class Reader extends NodeDeserializer<ConversationItem> {
    Reader() {
      super(ConversationItem.class);
    }

    @Override
    protected ConversationItem fromNode(JsonNode node, DeserializationContext ctxt)
        throws IOException {
      return switch (node.path("type").asText("")) {
        case "message" -> ctxt.readTreeAsValue(node, Message.class);
        case "function_call" -> ctxt.readTreeAsValue(node, FunctionCall.class);
        case "function_call_output" -> ctxt.readTreeAsValue(node, FunctionCallOutput.class);
        default -> new RawItem(node);
      };
    }
  }
}
