package dev.voicebus.realtime.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/** JSON mapping of {@link TurnDetection}, written by hand because JSON null means "manual". */
final class TurnDetectionJson {

  private TurnDetectionJson() {}

  static final class Writer extends StdSerializer<TurnDetection> {
    Writer() {
      super(TurnDetection.class);
    }

    @Override
    public void serialize(TurnDetection value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value instanceof TurnDetection.ServerVad vad) {
        gen.writeStartObject();
        gen.writeStringField("type", "server_vad");
        writeNumber(gen, "threshold", vad.threshold());
        writeNumber(gen, "prefix_padding_ms", vad.prefixPaddingMs());
        writeNumber(gen, "silence_duration_ms", vad.silenceDurationMs());
        writeBoolean(gen, "create_response", vad.createResponse());
        writeBoolean(gen, "interrupt_response", vad.interruptResponse());
        writeNumber(gen, "idle_timeout_ms", vad.idleTimeoutMs());
        gen.writeEndObject();
      } else if (value instanceof TurnDetection.SemanticVad vad) {
        gen.writeStartObject();
        gen.writeStringField("type", "semantic_vad");
        if (vad.eagerness() != null) {
          gen.writeStringField("eagerness", vad.eagerness());
        }
        writeBoolean(gen, "create_response", vad.createResponse());
        writeBoolean(gen, "interrupt_response", vad.interruptResponse());
        gen.writeEndObject();
      } else {
        gen.writeNull();
      }
    }

    private static void writeNumber(JsonGenerator gen, String name, Number value)
        throws IOException {
      if (value instanceof Double d) {
        gen.writeNumberField(name, d);
      } else if (value != null) {
        gen.writeNumberField(name, value.intValue());
      }
    }

    private static void writeBoolean(JsonGenerator gen, String name, Boolean value)
        throws IOException {
      if (value != null) {
        gen.writeBooleanField(name, value);
      }
    }
  }

  static final class Reader extends StdDeserializer<TurnDetection> {
    Reader() {
      super(TurnDetection.class);
    }

    @Override
    public TurnDetection deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = ctxt.readTree(p);
      if (node == null || node.isNull()) {
        return TurnDetection.MANUAL;
      }
      String type = node.path("type").asText("");
      return switch (type) {
        case "server_vad" ->
            new TurnDetection.ServerVad(
                doubleOrNull(node, "threshold"),
                intOrNull(node, "prefix_padding_ms"),
                intOrNull(node, "silence_duration_ms"),
                boolOrNull(node, "create_response"),
                boolOrNull(node, "interrupt_response"),
                intOrNull(node, "idle_timeout_ms"));
        case "semantic_vad" ->
            new TurnDetection.SemanticVad(
                node.path("eagerness").asText(null),
                boolOrNull(node, "create_response"),
                boolOrNull(node, "interrupt_response"));
        default ->
            throw ctxt.weirdStringException(
                type,
                TurnDetection.class,
                "turn_detection.type must be server_vad or semantic_vad");
      };
    }

    @Override
    public TurnDetection getNullValue(DeserializationContext ctxt) {
      return TurnDetection.MANUAL;
    }

    /** An absent field stays null (unchanged); only an explicit JSON null means manual. */
    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    private static Double doubleOrNull(JsonNode node, String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v.asDouble();
    }

    private static Integer intOrNull(JsonNode node, String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v.asInt();
    }

    private static Boolean boolOrNull(JsonNode node, String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v.asBoolean();
    }
  }
}
