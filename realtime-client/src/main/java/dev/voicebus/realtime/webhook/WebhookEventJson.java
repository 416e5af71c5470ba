package dev.voicebus.realtime.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@link WebhookEvent}s. */
final class WebhookEventJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WebhookEventJson() {}

  static WebhookEvent parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    String id = text(root, "id", "id");
    String type = text(root, "type", "type");
    long createdAt = root.path("created_at").asLong(0);
    if (!WebhookEvent.CALL_INCOMING.equals(type)) {
      return new WebhookEvent.Other(id, type, createdAt);
    }
    JsonNode data = root.path("data");
    String callId = text(data, "call_id", "data.call_id");
    List<WebhookEvent.SipHeader> headers = new ArrayList<>();
    JsonNode sipHeaders = data.path("sip_headers");
    if (!sipHeaders.isMissingNode() && !sipHeaders.isNull() && !sipHeaders.isArray()) {
      throw new IllegalArgumentException("data.sip_headers is not an array");
    }
    for (JsonNode h : sipHeaders) {
      if (h.path("name").isTextual() && h.path("value").isTextual()) {
        headers.add(new WebhookEvent.SipHeader(h.get("name").asText(), h.get("value").asText()));
      }
    }
    return new WebhookEvent.CallIncoming(id, createdAt, callId, headers);
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(path + " is missing or not a string");
    }
    return value.asText();
  }

  static String write(WebhookEvent.CallIncoming event) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("object", "event");
    root.put("id", event.id());
    root.put("type", event.type());
    root.put("created_at", event.createdAt());
    ObjectNode data = root.putObject("data");
    data.put("call_id", event.callId());
    ArrayNode headers = data.putArray("sip_headers");
    for (WebhookEvent.SipHeader h : event.sipHeaders()) {
      headers.addObject().put("name", h.name()).put("value", h.value());
    }
    return root.toString();
  }
}
