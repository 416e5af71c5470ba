package dev.voicebus.realtime.event;

import dev.voicebus.realtime.event.ClientEvent.ConversationItemCreate;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemDelete;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemRetrieve;
import dev.voicebus.realtime.event.ClientEvent.ConversationItemTruncate;
import dev.voicebus.realtime.event.ClientEvent.InputAudioBufferAppend;
import dev.voicebus.realtime.event.ClientEvent.SessionUpdate;
import dev.voicebus.realtime.event.ConversationItem.FunctionCall;
import dev.voicebus.realtime.event.ConversationItem.FunctionCallOutput;
import dev.voicebus.realtime.event.ConversationItem.Message;

/**
 * Required-field and range checks of client events that the JSON types alone cannot express. Used
 * both before sending (a bug fails fast, not as an asynchronous server error) and after parsing on
 * the server side.
 */
final class ClientEventRules {

  private static final int MAX_EVENT_ID_LENGTH = 512;

  private ClientEventRules() {}

  static void check(ClientEvent event) {
    String eventId = event.eventId();
    if (eventId != null && eventId.length() > MAX_EVENT_ID_LENGTH) {
      throw invalid("invalid_value", "event_id", eventId, "event_id is longer than 512 characters");
    }
    if (event instanceof SessionUpdate update) {
      require(update.session(), "session", eventId);
      require(update.session().type(), "session.type", eventId);
    } else if (event instanceof InputAudioBufferAppend append) {
      require(append.audio(), "audio", eventId);
    } else if (event instanceof ConversationItemCreate create) {
      require(create.item(), "item", eventId);
      checkItem(create.item(), eventId);
    } else if (event instanceof ConversationItemRetrieve retrieve) {
      require(retrieve.itemId(), "item_id", eventId);
    } else if (event instanceof ConversationItemDelete delete) {
      require(delete.itemId(), "item_id", eventId);
    } else if (event instanceof ConversationItemTruncate truncate) {
      checkTruncate(truncate, eventId);
    }
  }

  private static void checkItem(ConversationItem item, String eventId) {
    if (item instanceof Message message) {
      require(message.role(), "item.role", eventId);
      require(message.content(), "item.content", eventId);
      for (int i = 0; i < message.content().size(); i++) {
        require(message.content().get(i).type(), "item.content[" + i + "].type", eventId);
      }
    } else if (item instanceof FunctionCall call) {
      require(call.name(), "item.name", eventId);
      require(call.arguments(), "item.arguments", eventId);
    } else if (item instanceof FunctionCallOutput output) {
      require(output.callId(), "item.call_id", eventId);
      require(output.output(), "item.output", eventId);
    }
  }

  private static void checkTruncate(ConversationItemTruncate truncate, String eventId) {
    require(truncate.itemId(), "item_id", eventId);
    require(truncate.contentIndex(), "content_index", eventId);
    require(truncate.audioEndMs(), "audio_end_ms", eventId);
    if (truncate.contentIndex() < 0) {
      throw invalid("invalid_value", "content_index", eventId, "content_index must be >= 0");
    }
    if (truncate.audioEndMs() < 0) {
      throw invalid("invalid_value", "audio_end_ms", eventId, "audio_end_ms must be >= 0");
    }
  }

  private static void require(Object value, String param, String eventId) {
    if (value == null) {
      throw invalid(
          "missing_required_parameter",
          param,
          eventId,
          "Missing required parameter: '" + param + "'.");
    }
  }

  private static InvalidEventException invalid(
      String code, String param, String eventId, String message) {
    return new InvalidEventException(code, param, eventId, message);
  }
}
