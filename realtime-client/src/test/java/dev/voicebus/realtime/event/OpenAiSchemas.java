package dev.voicebus.realtime.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test access to OpenAI's GA Realtime event schemas (a copy of the shared reference file): the
 * examples embedded in {@code x-oaiMeta}, and validation of JSON against one {@code $defs} entry.
 * Each entry is validated through a wrapper schema {@code {"$defs": all, "$ref": "#/$defs/X"}} so
 * that the file's {@code #/$defs/...} refs resolve against the whole document. A "strict" variant
 * adds {@code additionalProperties: false} to every object schema that lists properties, so a
 * misspelled or camelCase field fails too.
 */
final class OpenAiSchemas {

  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private final ObjectNode defs;
  private final ObjectNode strictDefs;
  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  OpenAiSchemas() {
    try (InputStream in = getClass().getResourceAsStream("/openai-realtime-schemas.json")) {
      defs = (ObjectNode) LENIENT.readTree(in).get("$defs");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The spec's response.conversation is oneOf [string, enum auto|none]: "auto" and "none"
    // match both branches, so oneOf can never pass for them. Validate it as the anyOf it means.
    ObjectNode conversation =
        (ObjectNode)
            defs.path("RealtimeResponseCreateParams").path("properties").path("conversation");
    conversation.set("anyOf", conversation.remove("oneOf"));
    strictDefs = defs.deepCopy();
    strictDefs.forEach(OpenAiSchemas::closeObjects);
  }

  ObjectNode defs() {
    return defs;
  }

  /** Validation messages of {@code json} against {@code $defs/name}; empty when valid. */
  Set<String> validate(String name, JsonNode json, boolean strict) {
    JsonSchema schema = factory.getSchema(wrapper(name, strict ? strictDefs : defs));
    schema.initializeValidators();
    Set<String> messages = new TreeSet<>();
    for (ValidationMessage message : schema.validate(json)) {
      messages.add(message.getMessage());
    }
    return messages;
  }

  /** Every {@code $ref} of the document that does not point at an existing {@code $defs} key. */
  List<String> unresolvedRefs() {
    List<String> missing = new ArrayList<>();
    collectRefs(defs, missing);
    return missing;
  }

  /** The {@code x-oaiMeta.example}s of a {@code $defs} entry (some hold several JSON values). */
  List<JsonNode> examples(String name) {
    JsonNode example = defs.path(name).path("x-oaiMeta").path("example");
    List<JsonNode> values = new ArrayList<>();
    if (!example.isTextual()) {
      return values;
    }
    try (JsonParser parser = LENIENT.createParser(example.asText())) {
      Iterator<JsonNode> it = LENIENT.readValues(parser, JsonNode.class);
      it.forEachRemaining(values::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }

  /** The {@code type} enum value of an event {@code $defs} entry. */
  String eventType(String name) {
    return defs.path(name).path("properties").path("type").path("enum").path(0).asText();
  }

  /** Names of the event entries listed in a union such as {@code RealtimeServerEvent}. */
  List<String> unionMembers(String union) {
    List<String> names = new ArrayList<>();
    for (JsonNode ref : defs.path(union).path("anyOf")) {
      names.add(ref.path("$ref").asText().substring("#/$defs/".length()));
    }
    return names;
  }

  private JsonNode wrapper(String name, ObjectNode allDefs) {
    ObjectNode wrapper = LENIENT.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.set("$defs", allDefs);
    wrapper.put("$ref", "#/$defs/" + name);
    return wrapper;
  }

  private void collectRefs(JsonNode node, List<String> missing) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        String target = ref.asText().replace("#/$defs/", "");
        if (!defs.has(target)) {
          missing.add(ref.asText());
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        collectRefs(it.next().getValue(), missing);
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, missing));
    }
  }

  private static void closeObjects(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties") && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      object.forEach(OpenAiSchemas::closeObjects);
    } else if (node.isArray()) {
      node.forEach(OpenAiSchemas::closeObjects);
    }
  }
}
