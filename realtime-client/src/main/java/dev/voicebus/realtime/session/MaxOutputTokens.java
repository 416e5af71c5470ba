package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code max_output_tokens}: an integer 1-4096, or the string {@code "inf"} for the model maximum.
 * {@link #limit()} is null for {@code inf}.
 */
public record MaxOutputTokens(Integer limit) {

  public static final MaxOutputTokens INF = new MaxOutputTokens(null);

  /** A finite limit. */
  public static MaxOutputTokens of(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("max_output_tokens must be >= 1 or \"inf\", got " + limit);
    }
    return new MaxOutputTokens(limit);
  }

  /** True for {@code "inf"}. */
  public boolean isInfinite() {
    return limit == null;
  }

  @JsonValue
  Object toJson() {
    return limit == null ? "inf" : limit;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static MaxOutputTokens fromJson(JsonNode node) {
    if (node.isIntegralNumber()) {
      return new MaxOutputTokens(node.asInt());
    }
    if (node.isTextual() && "inf".equals(node.asText())) {
      return INF;
    }
    throw new IllegalArgumentException(
        "max_output_tokens must be an integer or \"inf\", got " + node);
  }
}
