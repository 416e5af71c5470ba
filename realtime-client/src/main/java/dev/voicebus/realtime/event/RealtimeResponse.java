package dev.voicebus.realtime.event;

import dev.voicebus.realtime.session.MaxOutputTokens;
import java.util.List;
import java.util.Map;

/**
 * A response of the model ({@code response.created}/{@code response.done}). {@code status} is
 * completed|cancelled|failed|incomplete|in_progress; {@code usage} is set on {@code response.done}.
 */
public record RealtimeResponse(
    String id,
    String object,
    String status,
    StatusDetails statusDetails,
    List<ConversationItem> output,
    Map<String, String> metadata,
    ResponseAudio audio,
    Usage usage,
    String conversationId,
    List<String> outputModalities,
    MaxOutputTokens maxOutputTokens) {

  /**
   * Why a response ended as it did: {@code reason} turn_detected|client_cancelled|
   * max_output_tokens|content_filter, or an error for {@code failed}.
   */
  public record StatusDetails(String type, String reason, RealtimeError error) {}
}
