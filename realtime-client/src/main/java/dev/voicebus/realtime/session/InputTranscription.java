package dev.voicebus.realtime.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.voicebus.realtime.json.NodeDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous transcription of the caller's audio ({@code audio.input.transcription}); off unless
 * set. {@code model} is e.g. {@code gpt-4o-transcribe}, {@code gpt-4o-mini-transcribe} or {@code
 * whisper-1}; the other fields are optional hints. {@link #OFF} is written as JSON {@code null}
 * (turns transcription off in an update); JSON null reads as OFF, an absent field as Java null.
 */
@JsonSerialize(using = InputTranscription.Writer.class)
@JsonDeserialize(using = InputTranscription.Reader.class)
public record InputTranscription(
    String model,
    String language,
    String prompt,
    List<String> languages,
    List<String> keywords,
    String delay) {

  public static final InputTranscription OFF =
      new InputTranscription(null, null, null, null, null, null);

  /** Transcription with the given model and optional language (ISO-639-1, may be null). */
  public static InputTranscription of(String model, String language) {
    return new InputTranscription(model, language, null, null, null, null);
  }

  /** True for {@link #OFF}. */
  public boolean isOff() {
    return equals(OFF);
  }

  /** Writes the set fields, or JSON null for {@link #OFF}. */
  static final class Writer extends StdSerializer<InputTranscription> {
    Writer() {
      super(InputTranscription.class);
    }

    @Override
    public void serialize(InputTranscription value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value.isOff()) {
        gen.writeNull();
        return;
      }
      gen.writeStartObject();
      writeString(gen, "model", value.model);
      writeString(gen, "language", value.language);
      writeString(gen, "prompt", value.prompt);
      writeList(gen, "languages", value.languages);
      writeList(gen, "keywords", value.keywords);
      writeString(gen, "delay", value.delay);
      gen.writeEndObject();
    }

    private static void writeString(JsonGenerator gen, String name, String value)
        throws IOException {
      if (value != null) {
        gen.writeStringField(name, value);
      }
    }

    private static void writeList(JsonGenerator gen, String name, List<String> values)
        throws IOException {
      if (values != null) {
        gen.writeArrayFieldStart(name);
        for (String v : values) {
          gen.writeString(v);
        }
        gen.writeEndArray();
      }
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, InputTranscription value) {
      return false;
    }
  }

  /** Reads the object; JSON null is {@link #OFF}. */
  static final class Reader extends NodeDeserializer<InputTranscription> {
    Reader() {
      super(InputTranscription.class);
    }

    @Override
    protected InputTranscription fromNode(JsonNode node, DeserializationContext ctxt) {
      if (node.isNull()) {
        return OFF;
      }
      return new InputTranscription(
          text(node, "model"),
          text(node, "language"),
          text(node, "prompt"),
          list(node.get("languages")),
          list(node.get("keywords")),
          text(node, "delay"));
    }

    @Override
    public InputTranscription getNullValue(DeserializationContext ctxt) {
      return OFF;
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    private static List<String> list(JsonNode array) {
      if (array == null || !array.isArray()) {
        return null;
      }
      List<String> values = new ArrayList<>();
      array.forEach(v -> values.add(v.asText()));
      return List.copyOf(values);
    }
  }
}
