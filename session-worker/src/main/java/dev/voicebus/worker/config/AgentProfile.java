package dev.voicebus.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.redaction.Redactor;
import java.time.Duration;
import java.util.List;

/**
 * A named agent configuration that a CallStarted selects: what the Realtime session is told
 * (instructions, voice, tools, turn detection, transcription...) and the worker's own per-call
 * settings (tool deadline). Loaded from the profiles file by {@link ProfileCatalog}. Its tools are
 * the ones defined inline ({@code tools}) and the ones it names from the tool catalogue ({@code
 * toolRefs}); the profile a call runs with has the named ones resolved into {@code tools} (see
 * {@link ProfileCatalog#forCall}).
 */
public record AgentProfile(
    String id,
    String model,
    String instructions,
    String voice,
    List<ToolSpec> tools,
    String toolChoice,
    TurnDetectionSpec turnDetection,
    String transcriptionModel,
    String noiseReduction,
    List<String> outputModalities,
    Integer maxOutputTokens,
    String reasoningEffort,
    Duration toolTimeout,
    DtmfPolicy dtmf,
    Redactor redactor,
    List<ToolReference> toolRefs) {

  public AgentProfile {
    toolRefs = toolRefs == null ? List.of() : List.copyOf(toolRefs);
    dtmf = dtmf == null ? DtmfPolicy.DEFAULT : dtmf;
    redactor = redactor == null ? Redactor.defaults() : redactor;
    tools = tools == null ? List.of() : List.copyOf(tools);
    outputModalities = outputModalities == null ? List.of("audio") : List.copyOf(outputModalities);
  }

  /** A profile that defines all its tools inline (names none from the catalogue). */
  public AgentProfile(
      String id,
      String model,
      String instructions,
      String voice,
      List<ToolSpec> tools,
      String toolChoice,
      TurnDetectionSpec turnDetection,
      String transcriptionModel,
      String noiseReduction,
      List<String> outputModalities,
      Integer maxOutputTokens,
      String reasoningEffort,
      Duration toolTimeout,
      DtmfPolicy dtmf,
      Redactor redactor) {
    this(
        id,
        model,
        instructions,
        voice,
        tools,
        toolChoice,
        turnDetection,
        transcriptionModel,
        noiseReduction,
        outputModalities,
        maxOutputTokens,
        reasoningEffort,
        toolTimeout,
        dtmf,
        redactor,
        List.of());
  }

  /** This profile offering exactly {@code offered}, with no catalogue names left to resolve. */
  public AgentProfile withTools(List<ToolSpec> offered) {
    return new AgentProfile(
        id,
        model,
        instructions,
        voice,
        offered,
        toolChoice,
        turnDetection,
        transcriptionModel,
        noiseReduction,
        outputModalities,
        maxOutputTokens,
        reasoningEffort,
        toolTimeout,
        dtmf,
        redactor,
        List.of());
  }

  /**
   * A function tool the model may call, with its JSON schema of arguments; {@code
   * sensitiveArguments} are JSON pointers (e.g. {@code /card_number}) of arguments the tool needs
   * in clear, which travel sealed (AES-GCM) instead of redacted.
   */
  public record ToolSpec(
      String name, String description, JsonNode parameters, List<String> sensitiveArguments) {
    public ToolSpec {
      sensitiveArguments = sensitiveArguments == null ? List.of() : List.copyOf(sensitiveArguments);
    }

    public ToolSpec(String name, String description, JsonNode parameters) {
      this(name, description, parameters, List.of());
    }
  }

  /**
   * Turn detection: {@code type} is {@code server_vad}, {@code semantic_vad} or {@code none}
   * (manual); the other fields apply to the type that uses them and are null for the API default.
   */
  public record TurnDetectionSpec(
      String type,
      Double threshold,
      Integer prefixPaddingMs,
      Integer silenceDurationMs,
      String eagerness,
      Boolean createResponse,
      Boolean interruptResponse,
      Integer idleTimeoutMs) {}
}
