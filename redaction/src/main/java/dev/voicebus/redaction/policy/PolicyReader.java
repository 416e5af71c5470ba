package dev.voicebus.redaction.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates a profile's {@code redaction} block into a {@link RedactionPolicy}. */
final class PolicyReader {

  private static final Set<String> FIELDS =
      Set.of(
          "enabled",
          "detectors",
          "email",
          "phone",
          "custom",
          "replacement",
          "mask",
          "keypadSensitive");
  private static final Set<String> CUSTOM_FIELDS = Set.of("name", "pattern", "replacement");

  private PolicyReader() {}

  static RedactionPolicy read(JsonNode block) {
    if (block == null || block.isNull() || block.isMissingNode()) {
      return RedactionPolicy.defaults();
    }
    if (!block.isObject()) {
      throw new IllegalArgumentException(
          "redaction=" + block + " is invalid: use an object such as {\"enabled\": true}");
    }
    for (Iterator<String> names = block.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "redaction." + name + " is not a setting; valid: " + String.join(", ", sorted(FIELDS)));
      }
    }
    boolean enabled = bool(block, "enabled", true);
    Set<DetectorKind> detectors = detectors(block);
    flag(block, "email", DetectorKind.EMAIL, detectors);
    flag(block, "phone", DetectorKind.PHONE, detectors);
    return new RedactionPolicy(
        enabled,
        detectors,
        custom(block.get("custom")),
        replacements(block.get("replacement")),
        block.has("mask") ? text(block, "mask") : RedactionPolicy.DEFAULT_MASK,
        bool(block, "keypadSensitive", false));
  }

  private static Set<DetectorKind> detectors(JsonNode block) {
    JsonNode list = block.get("detectors");
    if (list == null || list.isNull()) {
      return EnumSet.copyOf(RedactionPolicy.DEFAULT_DETECTORS);
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(
          "redaction.detectors=" + list + " is invalid: use a list such as [\"card\", \"cvv\"]");
    }
    Set<DetectorKind> kinds = EnumSet.noneOf(DetectorKind.class);
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      DetectorKind kind =
          item.isTextual() ? DetectorKind.fromConfigName(item.asText()).orElse(null) : null;
      if (kind == null) {
        throw new IllegalArgumentException(
            "redaction.detectors["
                + i
                + "]="
                + item
                + " is not a detector; valid: "
                + DetectorKind.configNames()
                + " (custom patterns go under redaction.custom)");
      }
      kinds.add(kind);
    }
    return kinds;
  }

  /** The {@code email}/{@code phone} switches; they must not contradict the detectors list. */
  private static void flag(
      JsonNode block, String field, DetectorKind kind, Set<DetectorKind> detectors) {
    if (!block.has(field)) {
      return;
    }
    boolean on = bool(block, field, false);
    if (!on && detectors.contains(kind) && block.has("detectors")) {
      throw new IllegalArgumentException(
          "redaction."
              + field
              + "=false contradicts redaction.detectors, which lists \""
              + kind.configName()
              + "\": remove one");
    }
    if (on) {
      detectors.add(kind);
    } else {
      detectors.remove(kind);
    }
  }

  private static List<CustomPattern> custom(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(
          "redaction.custom="
              + list
              + " is invalid: use a list of {\"name\": ..., \"pattern\": ...} objects");
    }
    List<CustomPattern> patterns = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String where = "redaction.custom[" + i + "]";
      if (!item.isObject()) {
        throw new IllegalArgumentException(
            where + "=" + item + " is invalid: use {\"name\": ..., \"pattern\": ...}");
      }
      for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!CUSTOM_FIELDS.contains(name)) {
          throw new IllegalArgumentException(
              where + "." + name + " is not a setting; valid: name, pattern, replacement");
        }
      }
      String name = required(item, where, "name");
      String regex = required(item, where, "pattern");
      ReplacementStyle style =
          item.has("replacement")
              ? style(item.get("replacement"), where + ".replacement")
              : ReplacementStyle.LABEL;
      try {
        patterns.add(CustomPattern.compile(name, regex, style));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return patterns;
  }

  private static Map<DetectorKind, ReplacementStyle> replacements(JsonNode map) {
    Map<DetectorKind, ReplacementStyle> styles = new EnumMap<>(DetectorKind.class);
    if (map == null || map.isNull()) {
      return styles;
    }
    if (!map.isObject()) {
      throw new IllegalArgumentException(
          "redaction.replacement=" + map + " is invalid: use {\"card\": \"label-last4\", ...}");
    }
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String where = "redaction.replacement." + e.getKey();
      DetectorKind kind =
          DetectorKind.fromConfigName(e.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where
                              + " names no detector; valid: "
                              + DetectorKind.configNames()
                              + " (a custom pattern takes its own \"replacement\")"));
      styles.put(kind, style(e.getValue(), where));
    }
    return styles;
  }

  private static ReplacementStyle style(JsonNode value, String where) {
    return (value.isTextual()
            ? ReplacementStyle.fromConfigName(value.asText())
            : java.util.Optional.<ReplacementStyle>empty())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    where + "=" + value + " is invalid; valid: " + ReplacementStyle.configNames()));
  }

  private static String required(JsonNode item, String where, String field) {
    JsonNode value = item.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(
          where + "." + field + " is missing or empty: it must be a non-empty string");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode block, String field, boolean fallback) {
    JsonNode value = block.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(
          "redaction." + field + "=" + value + " is invalid: use true or false");
    }
    return value.booleanValue();
  }

  private static String text(JsonNode block, String field) {
    JsonNode value = block.get(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          "redaction." + field + "=" + value + " is invalid: use a string");
    }
    return value.asText();
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }
}
