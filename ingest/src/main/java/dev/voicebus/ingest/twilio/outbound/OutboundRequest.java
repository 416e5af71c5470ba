package dev.voicebus.ingest.twilio.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.telephony.twilio.Twiml;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/calls/outbound}: {@code {"to":"+1...","from":"+1...",
 * "agentProfile":"...","metadata":{...},"machineDetection":"Enable"|"DetectMessageEnd"}}, parsed
 * and checked before anything is asked of Twilio. {@code to} is an E.164 number or a sip:/sips:
 * URI, {@code from} an E.164 number of the account; only {@code to} and {@code from} are required.
 */
public record OutboundRequest(
    String to,
    String from,
    Optional<String> agentProfile,
    Map<String, String> metadata,
    Optional<String> machineDetection) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("to", "from", "agentProfile", "metadata", "machineDetection");
  private static final Set<String> MACHINE_DETECTION = Set.of("Enable", "DetectMessageEnd");
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_METADATA = 32;

  public OutboundRequest {
    metadata = Map.copyOf(metadata);
  }

  /**
   * Parses {@code body}; an {@link IllegalArgumentException} says what is wrong, in words for the
   * client.
   */
  public static OutboundRequest parse(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + clip(name) + "'; known: " + FIELDS);
      }
    }
    String to = text(json, "to");
    if (!Twiml.isDialTarget(to)) {
      throw new IllegalArgumentException(
          "to '" + clip(to) + "' is neither an E.164 number (+15551234567) nor a sip: URI");
    }
    String from = text(json, "from");
    if (!Twiml.isE164(from)) {
      throw new IllegalArgumentException(
          "from '" + clip(from) + "' is not an E.164 number (+15551234567) of the account");
    }
    Optional<String> profile = optionalText(json, "agentProfile");
    if (profile.isPresent() && !PROFILE.matcher(profile.get()).matches()) {
      throw new IllegalArgumentException(
          "agentProfile '"
              + clip(profile.get())
              + "' is not a profile id (1-64 of A-Z a-z 0-9 . _ -)");
    }
    Optional<String> detection = optionalText(json, "machineDetection");
    if (detection.isPresent() && !MACHINE_DETECTION.contains(detection.get())) {
      throw new IllegalArgumentException(
          "machineDetection '"
              + clip(detection.get())
              + "' is invalid: use Enable or DetectMessageEnd");
    }
    return new OutboundRequest(to, from, profile, metadata(json.get("metadata")), detection);
  }

  private static Map<String, String> metadata(JsonNode node) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return metadata;
    }
    if (!node.isObject() || node.size() > MAX_METADATA) {
      throw new IllegalArgumentException(
          "metadata must be an object of at most " + MAX_METADATA + " string values");
    }
    for (var field : node.properties()) {
      if (!field.getValue().isTextual()
          || field.getKey().isEmpty()
          || field.getKey().length() > 64
          || field.getValue().asText().length() > 512) {
        throw new IllegalArgumentException(
            "metadata '"
                + clip(field.getKey())
                + "' must be a string of at most 512 characters under a key of 1-64");
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
    return metadata;
  }

  private static String text(JsonNode json, String field) {
    return optionalText(json, field)
        .orElseThrow(() -> new IllegalArgumentException(field + " is required"));
  }

  private static Optional<String> optionalText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string");
    }
    return Optional.of(value.asText().strip());
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
