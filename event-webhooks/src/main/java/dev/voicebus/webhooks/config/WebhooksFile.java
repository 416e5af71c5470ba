package dev.voicebus.webhooks.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.webhooks.delivery.WebhookSigner;
import dev.voicebus.webhooks.event.EventType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the webhooks file, JSON ({@code .json}) or YAML (anything else): {@code {"endpoints":
 * [{"id", "tenant", "url", "secret" | "secrets", "events", "description"?, "timeout"?,
 * "maxConcurrency"?}]}}. Every problem fails start-up with a message naming the file, the entry
 * ({@code endpoints[2] (id 'crm')}), the field and what is allowed, never a secret's value.
 */
public final class WebhooksFile {

  /** The endpoint settings that entries may leave out. */
  public record Defaults(Duration timeout, int maxConcurrency) {}

  static final int MAX_CONCURRENCY = 64;
  private static final int MAX_FILE_BYTES = 1024 * 1024;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<String> FIELDS =
      Set.of(
          "id",
          "tenant",
          "url",
          "secret",
          "secrets",
          "events",
          "description",
          "timeout",
          "maxConcurrency");

  private WebhooksFile() {}

  public static List<Endpoint> read(Path file, Defaults defaults) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + ": the webhooks file is larger than 1 MiB");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the webhooks file (" + e.getClass().getSimpleName() + ")", e);
    }
    return parse(file.toString(), text, isJson(file), defaults);
  }

  private static boolean isJson(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** Parses {@code text}; {@code name} is how messages name the file. */
  public static List<Endpoint> parse(String name, String text, boolean json, Defaults defaults) {
    ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      // The location only: the parser's message may quote the content, secrets included.
      var where = e.getLocation();
      throw new IllegalArgumentException(
          name
              + ": not valid "
              + (json ? "JSON" : "YAML")
              + (where == null
                  ? ""
                  : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    }
    if (root == null || !root.isObject() || !root.path("endpoints").isArray()) {
      throw new IllegalArgumentException(
          name
              + ": expected an object with an \"endpoints\" list, e.g. {\"endpoints\": [{\"id\": ...}]}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("endpoints")) {
        throw new IllegalArgumentException(
            name + ": unknown top-level field '" + field + "'; only \"endpoints\" is read");
      }
    }
    JsonNode list = root.path("endpoints");
    if (list.isEmpty()) {
      throw new IllegalArgumentException(name + ": \"endpoints\" is empty; subscribe at least one");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Endpoint endpoint = endpoint(new Entry(name, i, list.get(i)), defaults);
      if (!ids.add(endpoint.id())) {
        throw new IllegalArgumentException(
            name
                + ": endpoints["
                + i
                + "]: id '"
                + endpoint.id()
                + "' is used twice; ids must be unique");
      }
      endpoints.add(endpoint);
    }
    return List.copyOf(endpoints);
  }

  /** One entry and how to name it in messages. */
  private record Entry(String file, int index, JsonNode node) {
    IllegalArgumentException problem(String field, String problem) {
      String id = node.path("id").isTextual() ? " (id '" + node.path("id").asText() + "')" : "";
      return new IllegalArgumentException(
          file + ": endpoints[" + index + "]" + id + ": " + field + ": " + problem);
    }

    String requireText(String field, String example) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw problem(field, "is required, e.g. " + example);
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw problem(field, "must be a non-empty string, e.g. " + example);
      }
      return value.asText().trim();
    }
  }

  private static Endpoint endpoint(Entry entry, Defaults defaults) {
    JsonNode node = entry.node();
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          entry.file()
              + ": endpoints["
              + entry.index()
              + "] must be an object with id, tenant, url, secret and events");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw entry.problem(
            field, "unknown field; use " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    String id = entry.requireText("id", "crm-prod");
    if (!ID.matcher(id).matches()) {
      throw entry.problem("id", "'" + id + "' is invalid; use 1-64 of A-Z a-z 0-9 . _ -");
    }
    return new Endpoint(
        id,
        entry.requireText("tenant", "acme"),
        url(entry),
        signer(entry),
        events(entry),
        Optional.ofNullable(node.get("description"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::asText),
        timeout(entry, defaults.timeout()),
        concurrency(entry, defaults.maxConcurrency()));
  }

  private static URI url(Entry entry) {
    String raw = entry.requireText("url", "https://hooks.example.com/voicebus");
    try {
      URI url = new URI(raw);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
        throw entry.problem(
            "url", "'" + safe(raw) + "' is invalid; use an absolute http:// or https:// URL");
      }
      return url;
    } catch (URISyntaxException e) {
      throw entry.problem("url", "'" + safe(raw) + "' is not a URL (" + e.getReason() + ")");
    }
  }

  /** A URL for messages: without a query or user info, which may hold credentials. */
  private static String safe(String raw) {
    String cut = raw.contains("?") ? raw.substring(0, raw.indexOf('?')) + "?..." : raw;
    return cut.replaceAll("//[^/@]*@", "//...@");
  }

  private static WebhookSigner signer(Entry entry) {
    JsonNode node = entry.node();
    JsonNode one = node.get("secret");
    JsonNode many = node.get("secrets");
    if (one != null && many != null) {
      throw entry.problem("secret", "give secret or secrets, not both");
    }
    List<String> secrets = new ArrayList<>();
    String field = many != null ? "secrets" : "secret";
    if (many != null) {
      if (!many.isArray() || many.isEmpty()) {
        throw entry.problem("secrets", "must be a non-empty list of whsec_... secrets");
      }
      for (JsonNode secret : many) {
        if (!secret.isTextual()) {
          throw entry.problem("secrets", "every entry must be a whsec_... string");
        }
        secrets.add(secret.asText().trim());
      }
    } else {
      if (one == null || !one.isTextual() || one.asText().isBlank()) {
        throw entry.problem(
            "secret",
            "is required: a Standard Webhooks secret whsec_... (or secrets: a list, while rotating)");
      }
      secrets.add(one.asText().trim());
    }
    try {
      return new WebhookSigner(secrets);
    } catch (IllegalArgumentException e) {
      throw entry.problem(field, e.getMessage());
    }
  }

  private static Set<EventType> events(Entry entry) {
    JsonNode node = entry.node().get("events");
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw entry.problem(
          "events",
          "is required: a list of event types (" + EventType.wireNames() + ") or [\"*\"] for all");
    }
    Set<EventType> events = EnumSet.noneOf(EventType.class);
    for (JsonNode name : node) {
      String text = name.asText().trim();
      if (text.equals("*")) {
        events.addAll(EnumSet.allOf(EventType.class));
        continue;
      }
      events.add(
          EventType.fromWireName(text)
              .orElseThrow(
                  () ->
                      entry.problem(
                          "events",
                          "'"
                              + text
                              + "' is not an event type; use "
                              + EventType.wireNames()
                              + ", or *")));
    }
    return events;
  }

  private static Duration timeout(Entry entry, Duration fallback) {
    JsonNode node = entry.node().get("timeout");
    if (node == null || node.isNull()) {
      return fallback;
    }
    Duration timeout;
    try {
      timeout = ConfigSource.parseDuration("timeout", node.asText());
    } catch (IllegalArgumentException e) {
      throw entry.problem(
          "timeout", "'" + node.asText() + "' is invalid; use a duration such as 5s or 500ms");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw entry.problem(
          "timeout", "'" + node.asText() + "' is invalid; use more than 0 and at most 5m");
    }
    return timeout;
  }

  private static int concurrency(Entry entry, int fallback) {
    JsonNode node = entry.node().get("maxConcurrency");
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.canConvertToInt()
        || !node.isIntegralNumber()
        || node.asInt() < 1
        || node.asInt() > MAX_CONCURRENCY) {
      throw entry.problem(
          "maxConcurrency",
          "'" + node.asText() + "' is invalid; use a whole number from 1 to " + MAX_CONCURRENCY);
    }
    return node.asInt();
  }
}
