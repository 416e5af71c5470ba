package dev.voicebus.analytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.analytics.json.AvroJson;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.TenantUsage;
import java.util.Map;

/**
 * The JSON the query API answers with: documents as on {@code calls.json} (plain), with the text of
 * turns still in progress filled in from the live transcript; call summaries for lists; usage
 * windows with minutes added.
 */
final class ApiJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AvroJson JSON = new AvroJson(AvroJson.Timestamps.ISO_8601);

  private ApiJson() {}

  static ObjectNode document(CallRecord doc, LiveTranscripts live) {
    ObjectNode node = JSON.toJson(doc);
    Map<String, String> partial = live.of(doc.getCallId());
    for (JsonNode turn : node.withArray("turns")) {
      boolean complete = turn.path("complete").asBoolean();
      String text = partial.get(turn.path("itemId").asText());
      if (!complete && text != null) {
        ((ObjectNode) turn).put("text", text);
      }
    }
    return node;
  }

  static ObjectNode summary(CallRecord doc) {
    ObjectNode full = JSON.toJson(doc);
    ObjectNode node = MAPPER.createObjectNode();
    for (String field :
        new String[] {
          "callId",
          "tenantId",
          "agentProfile",
          "externalCallId",
          "source",
          "status",
          "startedAt",
          "endedAt",
          "durationMs",
          "endReason",
          "transferTarget",
          "costUsd",
          "updatedAt"
        }) {
      node.set(field, full.get(field));
    }
    node.put("turns", doc.getTurns().size() + doc.getTruncation().getDroppedTurns());
    node.put("toolCalls", doc.getMetrics().getToolCalls());
    node.put("interruptions", doc.getMetrics().getInterruptions());
    node.set("turnLatencyP50Ms", full.path("metrics").get("turnLatencyP50Ms"));
    return node;
  }

  static ObjectNode usage(TenantUsage window) {
    ObjectNode node = JSON.toJson(window);
    node.put("minutes", Math.round(window.getCallMs() / 600.0) / 100.0);
    return node;
  }

  static ObjectNode error(int status, String reason) {
    return MAPPER.createObjectNode().put("status", status).put("error", reason);
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpError.unavailable("a peer instance answered with invalid JSON");
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
