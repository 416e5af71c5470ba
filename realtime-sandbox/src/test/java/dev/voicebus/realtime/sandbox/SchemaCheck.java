package dev.voicebus.realtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.voicebus.realtime.sandbox.protocol.ServerEventTap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Validates every server event the sandbox writes against the GA server event schema of its type,
 * from openai-realtime-schemas.json (OpenAI's OpenAPI spec). Plug it in as the sandbox's tap, then
 * call {@link #assertAllValid()}.
 */
public final class SchemaCheck implements ServerEventTap {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectNode DOCUMENT = load();
  private static final Map<String, String> DEF_BY_TYPE = defsByEventType();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> validated = new ConcurrentHashMap<>();

  @Override
  public void onServerEvent(String sessionId, String json) {
    try {
      JsonNode event = MAPPER.readTree(json);
      String type = event.path("type").asText();
      String def = DEF_BY_TYPE.get(type);
      if (def == null) {
        failures.add("no schema for server event type '" + type + "': " + json);
        return;
      }
      Set<ValidationMessage> errors =
          SCHEMAS.computeIfAbsent(def, SchemaCheck::schema).validate(event);
      if (!errors.isEmpty()) {
        failures.add(type + " " + errors + " in " + abbreviate(json));
      }
      validated.merge(type, 1, Integer::sum);
    } catch (IOException e) {
      failures.add("unparseable server event: " + json);
    }
  }

  /** Fails if any event broke its schema or had no schema; returns counts by type. */
  public Map<String, Integer> assertAllValid() {
    assertThat(List.copyOf(failures)).as("server events violating the GA schemas").isEmpty();
    return Map.copyOf(validated);
  }

  public Map<String, Integer> validatedCounts() {
    return Map.copyOf(validated);
  }

  private static String abbreviate(String json) {
    return json.length() > 600 ? json.substring(0, 600) + "..." : json;
  }

  private static JsonSchema schema(String def) {
    ObjectNode wrapper = MAPPER.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.put("$ref", "#/$defs/" + def);
    wrapper.set("$defs", DOCUMENT.get("$defs"));
    return FACTORY.getSchema(wrapper);
  }

  private static ObjectNode load() {
    try (InputStream in = SchemaCheck.class.getResourceAsStream("/openai-realtime-schemas.json")) {
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> defsByEventType() {
    Map<String, String> out = new HashMap<>();
    for (Iterator<String> it = DOCUMENT.get("$defs").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      JsonNode type = DOCUMENT.get("$defs").get(name).path("properties").path("type").path("enum");
      if (name.startsWith("RealtimeServerEvent") && type.size() == 1) {
        out.put(type.get(0).asText(), name);
      }
    }
    return out;
  }
}
