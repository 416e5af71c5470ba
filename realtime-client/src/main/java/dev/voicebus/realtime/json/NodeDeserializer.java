package dev.voicebus.realtime.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Base for the deserializers of the protocol's unions (string-or-object, or objects with a {@code
 * type} and a raw fallback): reads the value as a tree and lets the subclass pick the variant.
 *
 * @param <T> the union type
 */
public abstract class NodeDeserializer<T> extends StdDeserializer<T> {

  protected NodeDeserializer(Class<T> type) {
    super(type);
  }

  @Override
  public final T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    return fromNode(ctxt.readTree(p), ctxt);
  }

  /** Maps one JSON value (never Java null; may be a JSON null node) to the union. */
  protected abstract T fromNode(JsonNode node, DeserializationContext ctxt) throws IOException;

  /** The text of a field, or null when absent or JSON null. */
  protected static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
