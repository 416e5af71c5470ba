package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Handles {@code conversation.item.create|retrieve|truncate|delete} with OpenAI's replies and
 * errors, including the truncation rules: only assistant audio can be truncated, and never beyond
 * the audio already sent ("Audio content of Xms is already shorter than Yms").
 */
final class ConversationOps {
  private final SessionContext ctx;

  ConversationOps(SessionContext ctx) {
    this.ctx = ctx;
  }

  void create(JsonNode item, String previousItemId, String clientEventId) {
    if (item == null || !item.isObject()) {
      ctx.error(ProtocolError.missingParameter("item"), clientEventId);
      return;
    }
    ProtocolError problem = ItemValidator.validate(item);
    if (problem != null) {
      ctx.error(problem, clientEventId);
      return;
    }
    if (previousItemId != null
        && !"root".equals(previousItemId)
        && ctx.conversation.get(previousItemId) == null) {
      ctx.error(
          ProtocolError.invalid(
              "item_create_invalid_previous_item_id",
              "Error adding item: the previous item with id '"
                  + previousItemId
                  + "' does not exist.",
              "previous_item_id"),
          clientEventId);
      return;
    }
    Item stored = toItem((ObjectNode) item.deepCopy());
    ctx.cursor.onClientItem(
        item.path("type").asText("message"),
        item.path("role").asText(""),
        item.path("content").path(0).path("text").asText(null));
    String previous = ctx.conversation.add(stored);
    ctx.emit(Events.itemEvent("conversation.item.added", stored.json(), previous));
    ctx.emit(Events.itemEvent("conversation.item.done", stored.json(), previous));
  }

  private Item toItem(ObjectNode json) {
    String id = json.hasNonNull("id") ? json.get("id").asText() : Ids.next(Ids.ITEM);
    json.put("id", id);
    json.put("object", "realtime.item");
    json.put("status", "completed");
    String type = json.path("type").asText("message");
    Item.Kind kind;
    if ("function_call_output".equals(type)) {
      kind = Item.Kind.FUNCTION_CALL_OUTPUT;
      ctx.record.functionOutput(json.path("call_id").asText(), json.path("output").asText());
      ctx.conversation.countText(json.path("output").asText().length());
    } else if ("function_call".equals(type)) {
      kind = Item.Kind.FUNCTION_CALL;
    } else if ("message".equals(type)) {
      kind = messageKind(json);
    } else {
      kind = Item.Kind.OTHER;
    }
    return new Item(id, kind, json);
  }

  private Item.Kind messageKind(ObjectNode json) {
    for (JsonNode c : json.path("content")) {
      ctx.conversation.countText(c.path("text").asText("").length());
      if (c.has("audio")) {
        // Audio bytes are not kept (memory); only the transcript survives for retrieve.
        ((ObjectNode) c).remove("audio");
      }
    }
    return switch (json.path("role").asText()) {
      case "system" -> Item.Kind.SYSTEM;
      case "assistant" -> Item.Kind.ASSISTANT_TEXT;
      default -> Item.Kind.USER_TEXT;
    };
  }

  void retrieve(String itemId, String clientEventId) {
    Item item = itemId == null ? null : ctx.conversation.get(itemId);
    if (item == null) {
      ctx.error(notFound("item_retrieve_invalid_item_id", "retrieving", itemId), clientEventId);
      return;
    }
    ObjectNode e = Events.event("conversation.item.retrieved");
    e.set("item", item.json());
    ctx.emit(e);
  }

  void delete(String itemId, String clientEventId) {
    if (itemId == null || ctx.conversation.remove(itemId) == null) {
      ctx.error(notFound("item_delete_invalid_item_id", "deleting", itemId), clientEventId);
      return;
    }
    ctx.emit(Events.event("conversation.item.deleted").put("item_id", itemId));
  }

  void truncate(String itemId, Integer contentIndex, Integer audioEndMs, String clientEventId) {
    Item item = itemId == null ? null : ctx.conversation.get(itemId);
    if (item == null) {
      ctx.error(notFound("item_truncate_invalid_item_id", "truncating", itemId), clientEventId);
      return;
    }
    if (audioEndMs == null || audioEndMs < 0) {
      ctx.error(ProtocolError.missingParameter("audio_end_ms"), clientEventId);
      return;
    }
    long endMs = audioEndMs;
    if (item.kind() != Item.Kind.ASSISTANT_AUDIO || item.audioMs() == 0) {
      ctx.error(
          ProtocolError.invalid(
              "unsupported_content_type",
              "Only model output audio messages can be truncated",
              null),
          clientEventId);
      return;
    }
    if (contentIndex != null && contentIndex != 0) {
      ctx.error(ProtocolError.invalidValue("content_index", contentIndex, "0"), clientEventId);
      return;
    }
    if (endMs > item.audioMs()) {
      ctx.error(
          new ProtocolError(
              ProtocolError.INVALID_REQUEST,
              null,
              "Audio content of " + item.audioMs() + "ms is already shorter than " + endMs + "ms",
              null),
          clientEventId);
      return;
    }
    applyTruncation(item, endMs);
  }

  private void applyTruncation(Item item, long endMs) {
    ArrayNode content = (ArrayNode) item.json().get("content");
    if (content != null && content.size() > 0 && item.totalAudioMs() > 0) {
      ObjectNode part = (ObjectNode) content.get(0);
      String transcript = part.path("transcript").asText("");
      int keep =
          (int) Math.min(transcript.length(), transcript.length() * endMs / item.totalAudioMs());
      part.put("transcript", transcript.substring(0, keep));
    }
    item.truncateAudio(endMs);
    ctx.record.truncation(item.id(), endMs);
    ObjectNode e = Events.event("conversation.item.truncated");
    e.put("item_id", item.id()).put("content_index", 0).put("audio_end_ms", endMs);
    ctx.emit(e);
  }

  private static ProtocolError notFound(String code, String verb, String itemId) {
    return ProtocolError.invalid(
        code,
        "Error " + verb + " item: the item with id '" + itemId + "' does not exist.",
        "item_id");
  }
}
