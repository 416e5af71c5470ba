package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.json.NodeDeserializer;

/**
 * Input noise reduction: {@link #NEAR_FIELD} (headsets, phones), {@link #FAR_FIELD} (laptops,
 * rooms) or {@link #OFF}, which is written as JSON {@code null} (and JSON null reads as OFF; an
 * absent field stays Java null, i.e. unchanged).
 */
@JsonDeserialize(using = NoiseReduction.Reader.class)
public record NoiseReduction(String type) {

  public static final NoiseReduction NEAR_FIELD = new NoiseReduction("near_field");
  public static final NoiseReduction FAR_FIELD = new NoiseReduction("far_field");
  public static final NoiseReduction OFF = new NoiseReduction(null);

  /** True for {@link #OFF}. */
  public boolean isOff() {
    return type == null;
  }

  @JsonValue
  JsonNode toJson() {
    if (type == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", type);
    return node;
  }

  /** Reads {@code {"type": ...}}; JSON null is {@link #OFF}. */
  static final class Reader extends NodeDeserializer<NoiseReduction> {
    Reader() {
      super(NoiseReduction.class);
    }

    @Override
    protected NoiseReduction fromNode(JsonNode node, DeserializationContext ctxt) {
      String type = node.isNull() ? null : text(node, "type");
      return type == null ? OFF : new NoiseReduction(type);
    }

    @Override
    public NoiseReduction getNullValue(DeserializationContext ctxt) {
      return OFF;
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }
  }
}
