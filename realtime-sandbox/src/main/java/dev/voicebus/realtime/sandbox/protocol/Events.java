package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for server event and item JSON in the GA shapes (see openai-realtime-schemas.json). */
final class Events {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Events() {}

  /** A new server event with a fresh {@code event_id}. */
  static ObjectNode event(String type) {
    ObjectNode e = JSON.objectNode();
    e.put("type", type);
    e.put("event_id", Ids.next(Ids.EVENT));
    return e;
  }

  static ObjectNode error(ProtocolError err, String clientEventId) {
    ObjectNode e = event("error");
    ObjectNode body = e.putObject("error");
    body.put("type", err.type());
    body.put("code", err.code());
    body.put("message", err.message());
    body.put("param", err.param());
    body.put("event_id", clientEventId);
    return e;
  }

  static ObjectNode userAudioItem(String id, String status) {
    ObjectNode item = item(id, "message", status);
    item.put("role", "user");
    item.putArray("content").addObject().put("type", "input_audio");
    return item;
  }

  static ObjectNode assistantItem(String id, String status) {
    ObjectNode item = item(id, "message", status);
    item.put("role", "assistant");
    item.putArray("content");
    return item;
  }

  static ObjectNode functionCallItem(String id, String status, String callId, String name) {
    ObjectNode item = item(id, "function_call", status);
    item.put("call_id", callId);
    item.put("name", name);
    item.put("arguments", "");
    return item;
  }

  static ObjectNode item(String id, String type, String status) {
    ObjectNode item = JSON.objectNode();
    item.put("id", id);
    item.put("object", "realtime.item");
    item.put("type", type);
    item.put("status", status);
    return item;
  }

  static ObjectNode itemEvent(String type, ObjectNode item, String previousItemId) {
    ObjectNode e = event(type);
    if (previousItemId != null || !"conversation.item.done".equals(type)) {
      e.put("previous_item_id", previousItemId);
    }
    e.set("item", item);
    return e;
  }

  static ObjectNode rateLimits(long outputTokensReserved) {
    ObjectNode e = event("rate_limits.updated");
    ArrayNode limits = e.putArray("rate_limits");
    limits
        .addObject()
        .put("name", "requests")
        .put("limit", 5000)
        .put("remaining", 4999)
        .put("reset_seconds", 0.012);
    limits
        .addObject()
        .put("name", "tokens")
        .put("limit", 400000)
        .put("remaining", 400000 - outputTokensReserved)
        .put("reset_seconds", 0.6);
    return e;
  }
}
