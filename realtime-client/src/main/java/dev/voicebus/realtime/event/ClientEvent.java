package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.voicebus.realtime.session.SessionConfig;
import java.util.Base64;

/**
 * The 11 events a client sends to the GA Realtime API. {@code eventId} is optional on every event
 * (max 512 chars) and is echoed in {@code error.event_id}. Audio is a base64 {@code String} exactly
 * as on the wire; {@link InputAudioBufferAppend#of(byte[])} encodes raw bytes. Serialize with
 * {@link RealtimeJson}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ClientEvent.SessionUpdate.class, name = "session.update"),
  @JsonSubTypes.Type(
      value = ClientEvent.InputAudioBufferAppend.class,
      name = "input_audio_buffer.append"),
  @JsonSubTypes.Type(
      value = ClientEvent.InputAudioBufferCommit.class,
      name = "input_audio_buffer.commit"),
  @JsonSubTypes.Type(
      value = ClientEvent.InputAudioBufferClear.class,
      name = "input_audio_buffer.clear"),
  @JsonSubTypes.Type(
      value = ClientEvent.OutputAudioBufferClear.class,
      name = "output_audio_buffer.clear"),
  @JsonSubTypes.Type(
      value = ClientEvent.ConversationItemCreate.class,
      name = "conversation.item.create"),
  @JsonSubTypes.Type(
      value = ClientEvent.ConversationItemRetrieve.class,
      name = "conversation.item.retrieve"),
  @JsonSubTypes.Type(
      value = ClientEvent.ConversationItemTruncate.class,
      name = "conversation.item.truncate"),
  @JsonSubTypes.Type(
      value = ClientEvent.ConversationItemDelete.class,
      name = "conversation.item.delete"),
  @JsonSubTypes.Type(value = ClientEvent.ResponseCreate.class, name = "response.create"),
  @JsonSubTypes.Type(value = ClientEvent.ResponseCancel.class, name = "response.cancel")
})
public sealed interface ClientEvent
    permits ClientEvent.SessionUpdate,
        ClientEvent.InputAudioBufferAppend,
        ClientEvent.InputAudioBufferCommit,
        ClientEvent.InputAudioBufferClear,
        ClientEvent.OutputAudioBufferClear,
        ClientEvent.ConversationItemCreate,
        ClientEvent.ConversationItemRetrieve,
        ClientEvent.ConversationItemTruncate,
        ClientEvent.ConversationItemDelete,
        ClientEvent.ResponseCreate,
        ClientEvent.ResponseCancel {

  /** The optional client-chosen id of this event, or null. */
  String eventId();

  /** The wire {@code type} of this event, e.g. {@code session.update}. */
  default String type() {
    return EventTypes.clientType(getClass());
  }

  /** Updates the session config (partial update; {@code session.type} is required). */
  record SessionUpdate(String eventId, SessionConfig session) implements ClientEvent {
    public SessionUpdate(SessionConfig session) {
      this(null, session);
    }
  }

  /** Appends base64 audio (in the session input format) to the input buffer; no reply. */
  record InputAudioBufferAppend(String eventId, String audio) implements ClientEvent {
    /** Base64-encodes raw audio bytes. */
    public static InputAudioBufferAppend of(byte[] audio) {
      return new InputAudioBufferAppend(null, Base64.getEncoder().encodeToString(audio));
    }

    /** The decoded audio bytes. */
    public byte[] audioBytes() {
      return Base64.getDecoder().decode(audio);
    }
  }

  /** Commits the input buffer as a user item (not needed with VAD). */
  record InputAudioBufferCommit(String eventId) implements ClientEvent {
    public InputAudioBufferCommit() {
      this(null);
    }
  }

  /** Discards the input buffer. */
  record InputAudioBufferClear(String eventId) implements ClientEvent {
    public InputAudioBufferClear() {
      this(null);
    }
  }

  /** Cuts off the output audio (WebRTC/SIP only). */
  record OutputAudioBufferClear(String eventId) implements ClientEvent {
    public OutputAudioBufferClear() {
      this(null);
    }
  }

  /** Adds an item after {@code previousItemId} ({@code root}, an id, or null for the end). */
  record ConversationItemCreate(String eventId, String previousItemId, ConversationItem item)
      implements ClientEvent {
    public ConversationItemCreate(ConversationItem item) {
      this(null, null, item);
    }
  }

  /** Asks for {@code conversation.item.retrieved} with the full item including audio. */
  record ConversationItemRetrieve(String eventId, String itemId) implements ClientEvent {}

  /** Truncates an assistant audio item at {@code audioEndMs} (what the caller actually heard). */
  record ConversationItemTruncate(
      String eventId, String itemId, Integer contentIndex, Integer audioEndMs)
      implements ClientEvent {}

  /** Deletes an item. */
  record ConversationItemDelete(String eventId, String itemId) implements ClientEvent {}

  /** Starts a response; {@code response} (optional) overrides session settings for it. */
  record ResponseCreate(String eventId, ResponseCreateParams response) implements ClientEvent {
    public ResponseCreate() {
      this(null, null);
    }
  }

  /** Cancels the active response ({@code responseId} optional). */
  record ResponseCancel(String eventId, String responseId) implements ClientEvent {
    public ResponseCancel() {
      this(null, null);
    }
  }
}
