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
 * {@code truncation}: what the server does when the conversation exceeds the context window: {@code
 * "auto"}, {@code "disabled"} (error on overflow), or a retention ratio that drops older turns in
 * larger steps so the prompt cache stays warm.
 */
@JsonDeserialize(using = Truncation.Reader.class)
public sealed interface Truncation permits Truncation.Mode, Truncation.RetentionRatio {

  Mode AUTO = new Mode("auto");
  Mode DISABLED = new Mode("disabled");

  /** {@code auto} or {@code disabled}, written as a JSON string. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record Mode(@JsonValue String value) implements Truncation {}

  /** Keep {@code retentionRatio} (0-1) of the conversation when truncating. */
  @JsonPropertyOrder({"type", "retention_ratio", "token_limits"})
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record RetentionRatio(double retentionRatio, TokenLimits tokenLimits) implements Truncation {
    @JsonProperty("type")
    String type() {
      return "retention_ratio";
    }
  }

  /** Optional token limits of a retention-ratio truncation. */
  record TokenLimits(Integer postInstructions) {}

  /** Picks the variant by JSON shape. */
  final class Reader extends NodeDeserializer<Truncation> {
    Reader() {
      super(Truncation.class);
    }

    @Override
    protected Truncation fromNode(JsonNode node, DeserializationContext ctxt) throws IOException {
      if (node.isTextual()) {
        return new Mode(node.asText());
      }
      JsonNode limits = node.get("token_limits");
      TokenLimits tokenLimits =
          limits == null || limits.isNull()
              ? null
              : new TokenLimits(
                  limits.hasNonNull("post_instructions")
                      ? limits.get("post_instructions").asInt()
                      : null);
      return new RetentionRatio(node.path("retention_ratio").asDouble(), tokenLimits);
    }
  }
}
