package dev.voicebus.realtime.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.session.MaxOutputTokens;
import dev.voicebus.realtime.session.Reasoning;
import dev.voicebus.realtime.session.Tool;
import dev.voicebus.realtime.session.ToolChoice;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code response} of {@code response.create}: per-response overrides of the session
 * config. {@code conversation} is {@code auto} (default), {@code none} (out-of-band) or an id;
 * {@code input} replaces the conversation as the prompt when set.
 */
public record ResponseCreateParams(
    List<String> outputModalities,
    String instructions,
    ResponseAudio audio,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Reasoning reasoning,
    MaxOutputTokens maxOutputTokens,
    String conversation,
    Map<String, String> metadata,
    JsonNode prompt,
    List<ConversationItem> input) {

  /** No overrides; {@code with*} methods return copies with one field set. */
  public static ResponseCreateParams empty() {
    return new ResponseCreateParams(
        null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public ResponseCreateParams withInstructions(String value) {
    return new ResponseCreateParams(
        outputModalities,
        value,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        conversation,
        metadata,
        prompt,
        input);
  }

  public ResponseCreateParams withOutputModalities(List<String> value) {
    return new ResponseCreateParams(
        value,
        instructions,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        conversation,
        metadata,
        prompt,
        input);
  }

  public ResponseCreateParams withConversation(String value) {
    return new ResponseCreateParams(
        outputModalities,
        instructions,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        value,
        metadata,
        prompt,
        input);
  }

  public ResponseCreateParams withMetadata(Map<String, String> value) {
    return new ResponseCreateParams(
        outputModalities,
        instructions,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        conversation,
        value,
        prompt,
        input);
  }

  public ResponseCreateParams withInput(List<ConversationItem> value) {
    return new ResponseCreateParams(
        outputModalities,
        instructions,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        conversation,
        metadata,
        prompt,
        value);
  }

  public ResponseCreateParams withTools(List<Tool> value, ToolChoice choice) {
    return new ResponseCreateParams(
        outputModalities,
        instructions,
        audio,
        value,
        choice,
        parallelToolCalls,
        reasoning,
        maxOutputTokens,
        conversation,
        metadata,
        prompt,
        input);
  }

  public ResponseCreateParams withMaxOutputTokens(MaxOutputTokens value) {
    return new ResponseCreateParams(
        outputModalities,
        instructions,
        audio,
        tools,
        toolChoice,
        parallelToolCalls,
        reasoning,
        value,
        conversation,
        metadata,
        prompt,
        input);
  }
}
