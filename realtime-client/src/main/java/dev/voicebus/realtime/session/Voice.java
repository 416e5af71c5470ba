package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The output voice: a built-in name (alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin,
 * cedar) written as a JSON string, or a custom voice written as {@code {"id": "..."}}.
 */
public record Voice(String id, boolean custom) {

  public static final Voice MARIN = of("marin");
  public static final Voice CEDAR = of("cedar");
  public static final Voice ALLOY = of("alloy");

  /** A built-in voice by name. */
  public static Voice of(String name) {
    return new Voice(name, false);
  }

  /** A custom voice by id. */
  public static Voice customVoice(String id) {
    return new Voice(id, true);
  }

  @JsonValue
  JsonNode toJson() {
    if (!custom) {
      return JsonNodeFactory.instance.textNode(id);
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", id);
    return node;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Voice fromJson(JsonNode node) {
    if (node.isObject()) {
      return customVoice(node.path("id").asText(null));
    }
    return of(node.asText());
  }
}
