package dev.voicebus.schemas.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a JSON file of credentials, {@code {"<array>": [{...}, ...]}}, entry by entry, so that
 * every mistake fails start-up with a message naming the setting, the file and the entry ({@code
 * ingest.tokens-file='/etc/voicebus/tokens.json' is invalid: tokens[1].tenant is required}).
 * Messages never quote a secret field nor the file's text.
 */
public final class CredentialFile {

  /** The fields every entry may carry for its {@link TenantGrant}. */
  public static final Set<String> GRANT_FIELDS = Set.of("tenant", "profiles", "maxConcurrentCalls");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_BYTES = 16L * 1024 * 1024;

  private CredentialFile() {}

  /** One object of the file's array. */
  public static final class Entry {

    private final String prefix;
    private final String name;
    private final JsonNode node;

    private Entry(String prefix, String name, JsonNode node) {
      this.prefix = prefix;
      this.name = name;
      this.node = node;
    }

    /** A required, non-blank text field. */
    public String text(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        throw invalid(field + " is required (a non-empty string)");
      }
      return value.asText().trim();
    }

    /** The tenant, the profiles and the optional call cap of this entry. */
    public TenantGrant grant() {
      String tenant = text("tenant");
      JsonNode profiles = node.get("profiles");
      if (profiles == null || !profiles.isArray() || profiles.isEmpty()) {
        throw invalid("profiles is required: a list of agent profile ids, or [\"*\"] for any");
      }
      List<String> ids = new ArrayList<>();
      for (JsonNode profile : profiles) {
        if (!profile.isTextual() || profile.asText().isBlank()) {
          throw invalid("profiles must hold non-empty strings");
        }
        ids.add(profile.asText().trim());
      }
      JsonNode cap = node.get("maxConcurrentCalls");
      OptionalInt max = OptionalInt.empty();
      if (cap != null && !cap.isNull()) {
        if (!cap.canConvertToInt() || !cap.isIntegralNumber() || cap.asInt() < 1) {
          throw invalid("maxConcurrentCalls must be a whole number of at least 1");
        }
        max = OptionalInt.of(cap.asInt());
      }
      return new TenantGrant(tenant, ids, max);
    }

    /** A failure naming the setting, the file and this entry. */
    public IllegalArgumentException invalid(String problem) {
      return new IllegalArgumentException(prefix + name + "." + problem);
    }

    /** Where this entry is, e.g. {@code tokens[2]}. */
    public String name() {
      return name;
    }
  }

  /**
   * The entries of {@code arrayField} in the file {@code path} named by setting {@code key}; each
   * may carry {@code fields} and the {@link #GRANT_FIELDS}, nothing else.
   */
  public static List<Entry> read(String key, Path path, String arrayField, Set<String> fields) {
    String prefix = key + "='" + path + "' is invalid: ";
    String json;
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new IllegalArgumentException(prefix + "the file is larger than 16 MiB");
      }
      json = Files.readString(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          prefix + "cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
    return parse(prefix, json, arrayField, fields);
  }

  /** As {@link #read}, from text; {@code prefix} starts every message. */
  public static List<Entry> parse(
      String prefix, String json, String arrayField, Set<String> fields) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // Jackson's message can quote the text around the error, which may be a secret.
      var at = e.getLocation();
      throw new IllegalArgumentException(
          prefix
              + "not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (root == null || !root.isObject() || !root.path(arrayField).isArray()) {
      throw new IllegalArgumentException(
          prefix + "expected a JSON object {\"" + arrayField + "\": [...]}");
    }
    Set<String> known = new TreeSet<>(fields);
    known.addAll(GRANT_FIELDS);
    List<Entry> entries = new ArrayList<>();
    JsonNode array = root.get(arrayField);
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      var entry = new Entry(prefix, arrayField + "[" + i + "]", node);
      if (!node.isObject()) {
        throw new IllegalArgumentException(prefix + entry.name() + " is not a JSON object");
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        if (!known.contains(field)) {
          throw entry.invalid(
              clip(field) + " is not a known field (known: " + String.join(", ", known) + ")");
        }
      }
      entries.add(entry);
    }
    return entries;
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
