package dev.voicebus.realtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The GA session object, used both in {@code session.update} (a partial update: null fields are
 * omitted and left unchanged) and in {@code session.created}/{@code session.updated} (the full
 * effective config, where {@code id}, {@code object} and {@code expiresAt} are set). Only {@code
 * type} is required. Build with {@link #realtime()} / {@link #transcription()} and the {@code
 * with*} methods of {@link Builder}.
 *
 * @param type realtime or transcription (required)
 * @param id server-assigned {@code sess_...} id; null in requests
 * @param object {@code realtime.session}; null in requests
 * @param expiresAt unix seconds; null in requests
 * @param model e.g. {@code gpt-realtime}
 * @param outputModalities {@code ["audio"]} (includes a transcript) or {@code ["text"]}
 * @param include e.g. {@code ["item.input_audio_transcription.logprobs"]}
 * @param tracing {@code "auto"}, an object {workflow_name, group_id, metadata}, or null
 * @param prompt a prompt template reference {id, version, variables}
 */
public record SessionConfig(
    SessionType type,
    String id,
    String object,
    Long expiresAt,
    String model,
    String instructions,
    List<String> outputModalities,
    AudioConfig audio,
    List<String> include,
    JsonNode tracing,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Reasoning reasoning,
    MaxOutputTokens maxOutputTokens,
    Truncation truncation,
    JsonNode prompt) {

  /** A builder for a {@code realtime} (speech-to-speech) session. */
  public static Builder realtime() {
    return new Builder(SessionType.REALTIME);
  }

  /** A builder for a {@code transcription} session (only audio input and include apply). */
  public static Builder transcription() {
    return new Builder(SessionType.TRANSCRIPTION);
  }

  /**
   * This config with a partial {@code session.update} applied: every non-null field of {@code
   * update} (including nested audio fields) replaces the current value, as the server does. The
   * update's {@code type} wins; server fields (id, object, expiresAt) are kept from this config.
   */
  public SessionConfig merge(SessionConfig update) {
    return new SessionConfig(
        or(update.type, type),
        id,
        object,
        expiresAt,
        or(update.model, model),
        or(update.instructions, instructions),
        or(update.outputModalities, outputModalities),
        AudioConfig.merge(audio, update.audio),
        or(update.include, include),
        or(update.tracing, tracing),
        or(update.tools, tools),
        or(update.toolChoice, toolChoice),
        or(update.parallelToolCalls, parallelToolCalls),
        or(update.reasoning, reasoning),
        or(update.maxOutputTokens, maxOutputTokens),
        or(update.truncation, truncation),
        or(update.prompt, prompt));
  }

  static <T> T or(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }

  /** A builder pre-filled with this config, e.g. to change one field. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder; every setter returns {@code this}. Not thread-safe. */
  public static final class Builder {
    private SessionType type;
    private String id;
    private String object;
    private Long expiresAt;
    private String model;
    private String instructions;
    private List<String> outputModalities;
    private AudioInput audioInput;
    private AudioOutput audioOutput;
    private List<String> include;
    private JsonNode tracing;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private Reasoning reasoning;
    private MaxOutputTokens maxOutputTokens;
    private Truncation truncation;
    private JsonNode prompt;

    private Builder(SessionType type) {
      this.type = type;
    }

    private Builder(SessionConfig c) {
      this(c.type);
      id = c.id;
      object = c.object;
      expiresAt = c.expiresAt;
      model = c.model;
      instructions = c.instructions;
      outputModalities = c.outputModalities;
      audioInput = c.audio == null ? null : c.audio.input();
      audioOutput = c.audio == null ? null : c.audio.output();
      include = c.include;
      tracing = c.tracing;
      tools = c.tools;
      toolChoice = c.toolChoice;
      parallelToolCalls = c.parallelToolCalls;
      reasoning = c.reasoning;
      maxOutputTokens = c.maxOutputTokens;
      truncation = c.truncation;
      prompt = c.prompt;
    }

    public Builder withType(SessionType value) {
      type = value;
      return this;
    }

    /** Server-side fields of {@code session.created/updated}; leave unset in requests. */
    public Builder withServerFields(String sessionId, String objectName, Long expiresAtSeconds) {
      id = sessionId;
      object = objectName;
      expiresAt = expiresAtSeconds;
      return this;
    }

    public Builder withModel(String value) {
      model = value;
      return this;
    }

    public Builder withInstructions(String value) {
      instructions = value;
      return this;
    }

    public Builder withOutputModalities(String... values) {
      outputModalities = List.of(values);
      return this;
    }

    public Builder withAudioInput(AudioInput value) {
      audioInput = value;
      return this;
    }

    public Builder withAudioOutput(AudioOutput value) {
      audioOutput = value;
      return this;
    }

    /** Shortcut: the same format both ways (e.g. {@link AudioFormat#PCMU} for telephony). */
    public Builder withAudioFormat(AudioFormat format) {
      AudioInput in = audioInput == null ? AudioInput.of(format) : withFormat(audioInput, format);
      AudioOutput out =
          audioOutput == null
              ? new AudioOutput(format, null, null)
              : new AudioOutput(format, audioOutput.voice(), audioOutput.speed());
      audioInput = in;
      audioOutput = out;
      return this;
    }

    public Builder withVoice(String voice) {
      AudioOutput out = audioOutput == null ? new AudioOutput(null, null, null) : audioOutput;
      audioOutput = new AudioOutput(out.format(), Voice.of(voice), out.speed());
      return this;
    }

    public Builder withSpeed(double speed) {
      AudioOutput out = audioOutput == null ? new AudioOutput(null, null, null) : audioOutput;
      audioOutput = new AudioOutput(out.format(), out.voice(), speed);
      return this;
    }

    public Builder withTurnDetection(TurnDetection value) {
      audioInput = input().withTurnDetection(value);
      return this;
    }

    public Builder withTranscription(InputTranscription value) {
      audioInput = input().withTranscription(value);
      return this;
    }

    public Builder withNoiseReduction(NoiseReduction value) {
      audioInput = input().withNoiseReduction(value);
      return this;
    }

    public Builder withInclude(List<String> value) {
      include = value;
      return this;
    }

    public Builder withTracing(JsonNode value) {
      tracing = value;
      return this;
    }

    public Builder withTools(List<Tool> value) {
      tools = value;
      return this;
    }

    public Builder withToolChoice(ToolChoice value) {
      toolChoice = value;
      return this;
    }

    public Builder withParallelToolCalls(Boolean value) {
      parallelToolCalls = value;
      return this;
    }

    public Builder withReasoning(Reasoning value) {
      reasoning = value;
      return this;
    }

    public Builder withMaxOutputTokens(MaxOutputTokens value) {
      maxOutputTokens = value;
      return this;
    }

    public Builder withTruncation(Truncation value) {
      truncation = value;
      return this;
    }

    public Builder withPrompt(JsonNode value) {
      prompt = value;
      return this;
    }

    public SessionConfig build() {
      AudioConfig audio =
          audioInput == null && audioOutput == null
              ? null
              : new AudioConfig(audioInput, audioOutput);
      return new SessionConfig(
          type,
          id,
          object,
          expiresAt,
          model,
          instructions,
          outputModalities,
          audio,
          include,
          tracing,
          tools,
          toolChoice,
          parallelToolCalls,
          reasoning,
          maxOutputTokens,
          truncation,
          prompt);
    }

    private AudioInput input() {
      return audioInput == null ? new AudioInput(null, null, null, null) : audioInput;
    }

    private static AudioInput withFormat(AudioInput in, AudioFormat format) {
      return new AudioInput(format, in.transcription(), in.noiseReduction(), in.turnDetection());
    }
  }
}
