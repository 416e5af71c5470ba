package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.session.SessionConfig;
import java.util.Base64;
import java.util.List;

/**
 * Every event the GA Realtime API sends, one record per {@code type}, plus {@link Unknown} which
 * keeps the raw JSON of any type this model does not know, so new server events never break
 * parsing. Audio deltas are base64 {@code String}s as on the wire. Parse with {@link
 * RealtimeJson#parseServerEvent(String)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerEvent.ErrorEvent.class, name = "error"),
  @JsonSubTypes.Type(value = ServerEvent.SessionCreated.class, name = "session.created"),
  @JsonSubTypes.Type(value = ServerEvent.SessionUpdated.class, name = "session.updated"),
  @JsonSubTypes.Type(value = ServerEvent.ConversationCreated.class, name = "conversation.created"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemAdded.class,
      name = "conversation.item.added"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemDone.class,
      name = "conversation.item.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemCreated.class,
      name = "conversation.item.created"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemRetrieved.class,
      name = "conversation.item.retrieved"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemTruncated.class,
      name = "conversation.item.truncated"),
  @JsonSubTypes.Type(
      value = ServerEvent.ConversationItemDeleted.class,
      name = "conversation.item.deleted"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioTranscriptionDelta.class,
      name = "conversation.item.input_audio_transcription.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioTranscriptionCompleted.class,
      name = "conversation.item.input_audio_transcription.completed"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioTranscriptionFailed.class,
      name = "conversation.item.input_audio_transcription.failed"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioTranscriptionSegment.class,
      name = "conversation.item.input_audio_transcription.segment"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferCommitted.class,
      name = "input_audio_buffer.committed"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferCleared.class,
      name = "input_audio_buffer.cleared"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferSpeechStarted.class,
      name = "input_audio_buffer.speech_started"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferSpeechStopped.class,
      name = "input_audio_buffer.speech_stopped"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferTimeoutTriggered.class,
      name = "input_audio_buffer.timeout_triggered"),
  @JsonSubTypes.Type(
      value = ServerEvent.InputAudioBufferDtmfEventReceived.class,
      name = "input_audio_buffer.dtmf_event_received"),
  @JsonSubTypes.Type(
      value = ServerEvent.OutputAudioBufferStarted.class,
      name = "output_audio_buffer.started"),
  @JsonSubTypes.Type(
      value = ServerEvent.OutputAudioBufferStopped.class,
      name = "output_audio_buffer.stopped"),
  @JsonSubTypes.Type(
      value = ServerEvent.OutputAudioBufferCleared.class,
      name = "output_audio_buffer.cleared"),
  @JsonSubTypes.Type(value = ServerEvent.ResponseCreated.class, name = "response.created"),
  @JsonSubTypes.Type(value = ServerEvent.ResponseDone.class, name = "response.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputItemAdded.class,
      name = "response.output_item.added"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputItemDone.class,
      name = "response.output_item.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseContentPartAdded.class,
      name = "response.content_part.added"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseContentPartDone.class,
      name = "response.content_part.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputAudioDelta.class,
      name = "response.output_audio.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputAudioDone.class,
      name = "response.output_audio.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputAudioTranscriptDelta.class,
      name = "response.output_audio_transcript.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputAudioTranscriptDone.class,
      name = "response.output_audio_transcript.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputTextDelta.class,
      name = "response.output_text.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseOutputTextDone.class,
      name = "response.output_text.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseFunctionCallArgumentsDelta.class,
      name = "response.function_call_arguments.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseFunctionCallArgumentsDone.class,
      name = "response.function_call_arguments.done"),
  @JsonSubTypes.Type(value = ServerEvent.RateLimitsUpdated.class, name = "rate_limits.updated"),
  @JsonSubTypes.Type(
      value = ServerEvent.McpListToolsInProgress.class,
      name = "mcp_list_tools.in_progress"),
  @JsonSubTypes.Type(
      value = ServerEvent.McpListToolsCompleted.class,
      name = "mcp_list_tools.completed"),
  @JsonSubTypes.Type(value = ServerEvent.McpListToolsFailed.class, name = "mcp_list_tools.failed"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseMcpCallArgumentsDelta.class,
      name = "response.mcp_call_arguments.delta"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseMcpCallArgumentsDone.class,
      name = "response.mcp_call_arguments.done"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseMcpCallInProgress.class,
      name = "response.mcp_call.in_progress"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseMcpCallCompleted.class,
      name = "response.mcp_call.completed"),
  @JsonSubTypes.Type(
      value = ServerEvent.ResponseMcpCallFailed.class,
      name = "response.mcp_call.failed")
})
public sealed interface ServerEvent
    permits ServerEvent.ErrorEvent,
        ServerEvent.SessionCreated,
        ServerEvent.SessionUpdated,
        ServerEvent.ConversationCreated,
        ServerEvent.ConversationItemAdded,
        ServerEvent.ConversationItemDone,
        ServerEvent.ConversationItemCreated,
        ServerEvent.ConversationItemRetrieved,
        ServerEvent.ConversationItemTruncated,
        ServerEvent.ConversationItemDeleted,
        ServerEvent.InputAudioTranscriptionDelta,
        ServerEvent.InputAudioTranscriptionCompleted,
        ServerEvent.InputAudioTranscriptionFailed,
        ServerEvent.InputAudioTranscriptionSegment,
        ServerEvent.InputAudioBufferCommitted,
        ServerEvent.InputAudioBufferCleared,
        ServerEvent.InputAudioBufferSpeechStarted,
        ServerEvent.InputAudioBufferSpeechStopped,
        ServerEvent.InputAudioBufferTimeoutTriggered,
        ServerEvent.InputAudioBufferDtmfEventReceived,
        ServerEvent.OutputAudioBufferStarted,
        ServerEvent.OutputAudioBufferStopped,
        ServerEvent.OutputAudioBufferCleared,
        ServerEvent.ResponseCreated,
        ServerEvent.ResponseDone,
        ServerEvent.ResponseOutputItemAdded,
        ServerEvent.ResponseOutputItemDone,
        ServerEvent.ResponseContentPartAdded,
        ServerEvent.ResponseContentPartDone,
        ServerEvent.ResponseOutputAudioDelta,
        ServerEvent.ResponseOutputAudioDone,
        ServerEvent.ResponseOutputAudioTranscriptDelta,
        ServerEvent.ResponseOutputAudioTranscriptDone,
        ServerEvent.ResponseOutputTextDelta,
        ServerEvent.ResponseOutputTextDone,
        ServerEvent.ResponseFunctionCallArgumentsDelta,
        ServerEvent.ResponseFunctionCallArgumentsDone,
        ServerEvent.RateLimitsUpdated,
        ServerEvent.McpListToolsInProgress,
        ServerEvent.McpListToolsCompleted,
        ServerEvent.McpListToolsFailed,
        ServerEvent.ResponseMcpCallArgumentsDelta,
        ServerEvent.ResponseMcpCallArgumentsDone,
        ServerEvent.ResponseMcpCallInProgress,
        ServerEvent.ResponseMcpCallCompleted,
        ServerEvent.ResponseMcpCallFailed,
        ServerEvent.Unknown {

  /** The server-assigned event id (null only for events the server sends without one). */
  String eventId();

  /** The wire {@code type} of this event, e.g. {@code response.done}. */
  default String type() {
    return EventTypes.serverType(getClass());
  }

  /** {@code error}: An error; the session stays open unless the server closes it. */
  record ErrorEvent(String eventId, RealtimeError error) implements ServerEvent {}

  /** {@code session.created}: First event of a connection, with the default session config. */
  record SessionCreated(String eventId, SessionConfig session) implements ServerEvent {}

  /** {@code session.updated}: Reply to {@code session.update} with the full effective config. */
  record SessionUpdated(String eventId, SessionConfig session) implements ServerEvent {}

  /** {@code conversation.created}: The conversation was created (right after the session). */
  record ConversationCreated(String eventId, Conversation conversation) implements ServerEvent {}

  /**
   * {@code conversation.item.added}: An item was added (audio bytes omitted; may be {@code
   * in_progress}).
   */
  record ConversationItemAdded(String eventId, String previousItemId, ConversationItem item)
      implements ServerEvent {}

  /** {@code conversation.item.done}: An item is complete. */
  record ConversationItemDone(String eventId, String previousItemId, ConversationItem item)
      implements ServerEvent {}

  /** {@code conversation.item.created}: Legacy form of {@code conversation.item.added}. */
  record ConversationItemCreated(String eventId, String previousItemId, ConversationItem item)
      implements ServerEvent {}

  /**
   * {@code conversation.item.retrieved}: Reply to {@code conversation.item.retrieve}, including
   * audio.
   */
  record ConversationItemRetrieved(String eventId, ConversationItem item) implements ServerEvent {}

  /** {@code conversation.item.truncated}: Reply to {@code conversation.item.truncate}. */
  record ConversationItemTruncated(String eventId, String itemId, int contentIndex, int audioEndMs)
      implements ServerEvent {}

  /** {@code conversation.item.deleted}: Reply to {@code conversation.item.delete}. */
  record ConversationItemDeleted(String eventId, String itemId) implements ServerEvent {}

  /**
   * {@code conversation.item.input_audio_transcription.delta}: Incremental transcript of the
   * caller's audio.
   */
  record InputAudioTranscriptionDelta(
      String eventId, String itemId, Integer contentIndex, String delta, List<LogProb> logprobs)
      implements ServerEvent {}

  /**
   * {@code conversation.item.input_audio_transcription.completed}: Final transcript of a user audio
   * item (asynchronous to responses).
   */
  record InputAudioTranscriptionCompleted(
      String eventId,
      String itemId,
      int contentIndex,
      String transcript,
      List<LogProb> logprobs,
      TranscriptionUsage usage,
      List<TranscriptionLanguage> languages)
      implements ServerEvent {

    /** Without detected languages. */
    public InputAudioTranscriptionCompleted(
        String eventId,
        String itemId,
        int contentIndex,
        String transcript,
        List<LogProb> logprobs,
        TranscriptionUsage usage) {
      this(eventId, itemId, contentIndex, transcript, logprobs, usage, null);
    }
  }

  /**
   * {@code conversation.item.input_audio_transcription.failed}: Transcription of a user audio item
   * failed.
   */
  record InputAudioTranscriptionFailed(
      String eventId, String itemId, int contentIndex, RealtimeError error)
      implements ServerEvent {}

  /** {@code conversation.item.input_audio_transcription.segment}: A diarized transcript segment. */
  record InputAudioTranscriptionSegment(
      String eventId,
      String itemId,
      int contentIndex,
      String text,
      String id,
      String speaker,
      double start,
      double end)
      implements ServerEvent {}

  /** {@code input_audio_buffer.committed}: The input buffer became a user item. */
  record InputAudioBufferCommitted(String eventId, String previousItemId, String itemId)
      implements ServerEvent {}

  /** {@code input_audio_buffer.cleared}: The input buffer was cleared. */
  record InputAudioBufferCleared(String eventId) implements ServerEvent {}

  /** {@code input_audio_buffer.speech_started}: VAD detected speech (barge-in trigger). */
  record InputAudioBufferSpeechStarted(String eventId, int audioStartMs, String itemId)
      implements ServerEvent {}

  /** {@code input_audio_buffer.speech_stopped}: VAD detected the end of speech. */
  record InputAudioBufferSpeechStopped(String eventId, int audioEndMs, String itemId)
      implements ServerEvent {}

  /**
   * {@code input_audio_buffer.timeout_triggered}: Server VAD idle timeout fired; the silence is
   * committed and a response follows.
   */
  record InputAudioBufferTimeoutTriggered(
      String eventId, int audioStartMs, int audioEndMs, String itemId) implements ServerEvent {}

  /** {@code input_audio_buffer.dtmf_event_received}: A DTMF key press (SIP only). */
  record InputAudioBufferDtmfEventReceived(String eventId, String event, long receivedAt)
      implements ServerEvent {}

  /** {@code output_audio_buffer.started}: Server began playing audio (WebRTC/SIP only). */
  record OutputAudioBufferStarted(String eventId, String responseId) implements ServerEvent {}

  /** {@code output_audio_buffer.stopped}: Server finished playing audio (WebRTC/SIP only). */
  record OutputAudioBufferStopped(String eventId, String responseId) implements ServerEvent {}

  /** {@code output_audio_buffer.cleared}: Server output audio was cleared (WebRTC/SIP only). */
  record OutputAudioBufferCleared(String eventId, String responseId) implements ServerEvent {}

  /** {@code response.created}: A response started ({@code in_progress}). */
  record ResponseCreated(String eventId, RealtimeResponse response) implements ServerEvent {}

  /** {@code response.done}: A response ended; carries status and usage. */
  record ResponseDone(String eventId, RealtimeResponse response) implements ServerEvent {}

  /** {@code response.output_item.added}: A response started an output item. */
  record ResponseOutputItemAdded(
      String eventId, String responseId, int outputIndex, ConversationItem item)
      implements ServerEvent {}

  /** {@code response.output_item.done}: A response finished an output item. */
  record ResponseOutputItemDone(
      String eventId, String responseId, int outputIndex, ConversationItem item)
      implements ServerEvent {}

  /** {@code response.content_part.added}: A content part was added to an output item. */
  record ResponseContentPartAdded(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      ContentPart part)
      implements ServerEvent {}

  /** {@code response.content_part.done}: A content part is complete. */
  record ResponseContentPartDone(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      ContentPart part)
      implements ServerEvent {}

  /**
   * {@code response.output_audio.delta}: A chunk of agent audio, base64 in the session output
   * format.
   */
  record ResponseOutputAudioDelta(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      String delta)
      implements ServerEvent {
    /** The decoded audio bytes of {@code delta}. */
    public byte[] deltaBytes() {
      return Base64.getDecoder().decode(delta);
    }
  }

  /** {@code response.output_audio.done}: Agent audio of a part is complete. */
  record ResponseOutputAudioDone(
      String eventId, String responseId, String itemId, int outputIndex, int contentIndex)
      implements ServerEvent {}

  /**
   * {@code response.output_audio_transcript.delta}: Incremental transcript of the agent's audio.
   */
  record ResponseOutputAudioTranscriptDelta(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      String delta)
      implements ServerEvent {}

  /** {@code response.output_audio_transcript.done}: Final transcript of the agent's audio. */
  record ResponseOutputAudioTranscriptDone(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      String transcript)
      implements ServerEvent {}

  /** {@code response.output_text.delta}: Incremental text output. */
  record ResponseOutputTextDelta(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      String delta)
      implements ServerEvent {}

  /** {@code response.output_text.done}: Final text output. */
  record ResponseOutputTextDone(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      int contentIndex,
      String text)
      implements ServerEvent {}

  /** {@code response.function_call_arguments.delta}: Incremental function call arguments. */
  record ResponseFunctionCallArgumentsDelta(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      String callId,
      String delta)
      implements ServerEvent {}

  /**
   * {@code response.function_call_arguments.done}: Complete function call; {@code arguments} is a
   * JSON string.
   */
  record ResponseFunctionCallArgumentsDone(
      String eventId,
      String responseId,
      String itemId,
      int outputIndex,
      String callId,
      String name,
      String arguments)
      implements ServerEvent {}

  /** {@code rate_limits.updated}: Rate limits after reserving this response's output tokens. */
  record RateLimitsUpdated(String eventId, List<RateLimit> rateLimits) implements ServerEvent {}

  /** {@code mcp_list_tools.in_progress}: Listing the tools of an MCP server. */
  record McpListToolsInProgress(String eventId, String itemId) implements ServerEvent {}

  /** {@code mcp_list_tools.completed}: Listed the tools of an MCP server. */
  record McpListToolsCompleted(String eventId, String itemId) implements ServerEvent {}

  /** {@code mcp_list_tools.failed}: Listing the tools of an MCP server failed. */
  record McpListToolsFailed(String eventId, String itemId) implements ServerEvent {}

  /** {@code response.mcp_call_arguments.delta}: Incremental MCP call arguments. */
  record ResponseMcpCallArgumentsDelta(
      String eventId, String responseId, String itemId, int outputIndex, String delta)
      implements ServerEvent {}

  /** {@code response.mcp_call_arguments.done}: Complete MCP call arguments. */
  record ResponseMcpCallArgumentsDone(
      String eventId, String responseId, String itemId, int outputIndex, String arguments)
      implements ServerEvent {}

  /** {@code response.mcp_call.in_progress}: An MCP tool call started. */
  record ResponseMcpCallInProgress(String eventId, int outputIndex, String itemId)
      implements ServerEvent {}

  /** {@code response.mcp_call.completed}: An MCP tool call completed. */
  record ResponseMcpCallCompleted(String eventId, int outputIndex, String itemId)
      implements ServerEvent {}

  /** {@code response.mcp_call.failed}: An MCP tool call failed. */
  record ResponseMcpCallFailed(String eventId, int outputIndex, String itemId)
      implements ServerEvent {}

  /** An event of a type this model does not know; {@code raw} is the whole event. */
  record Unknown(String type, JsonNode raw) implements ServerEvent {
    @Override
    public String eventId() {
      JsonNode id = raw.get("event_id");
      return id == null || id.isNull() ? null : id.asText();
    }
  }
}
