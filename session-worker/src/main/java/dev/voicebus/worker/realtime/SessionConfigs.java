package dev.voicebus.worker.realtime;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.InputTranscription;
import dev.voicebus.realtime.session.MaxOutputTokens;
import dev.voicebus.realtime.session.NoiseReduction;
import dev.voicebus.realtime.session.Reasoning;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.Tool;
import dev.voicebus.realtime.session.ToolChoice;
import dev.voicebus.realtime.session.TurnDetection;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.AgentProfile.TurnDetectionSpec;

/**
 * Turns an agent profile and the call's codec into the {@code session.update} the worker sends.
 * Telephony codecs are passed through as {@code audio/pcmu} / {@code audio/pcma} in and out, so no
 * audio is resampled. Pure.
 */
public final class SessionConfigs {

  private SessionConfigs() {}

  public static SessionConfig forCall(AgentProfile profile, AudioCodec codec) {
    var builder =
        SessionConfig.realtime()
            .withModel(profile.model())
            .withInstructions(profile.instructions())
            .withAudioFormat(format(codec))
            .withVoice(profile.voice())
            .withTurnDetection(turnDetection(profile.turnDetection()))
            .withTools(
                profile.tools().stream()
                    .map(
                        t ->
                            (Tool) new Tool.FunctionTool(t.name(), t.description(), t.parameters()))
                    .toList())
            .withToolChoice(toolChoice(profile.toolChoice()))
            .withMaxOutputTokens(
                profile.maxOutputTokens() == null
                    ? MaxOutputTokens.INF
                    : MaxOutputTokens.of(profile.maxOutputTokens()));
    if (profile.transcriptionModel() != null) {
      builder =
          builder.withTranscription(InputTranscription.of(profile.transcriptionModel(), null));
    }
    if (profile.noiseReduction() != null) {
      builder =
          builder.withNoiseReduction(
              "far_field".equals(profile.noiseReduction())
                  ? NoiseReduction.FAR_FIELD
                  : NoiseReduction.NEAR_FIELD);
    }
    if (profile.reasoningEffort() != null) {
      builder = builder.withReasoning(new Reasoning(profile.reasoningEffort()));
    }
    if (profile.outputModalities() != null) {
      builder = builder.withOutputModalities(profile.outputModalities().toArray(String[]::new));
    }
    return builder.build();
  }

  /** The Realtime audio format for a call codec. */
  public static AudioFormat format(AudioCodec codec) {
    return switch (codec) {
      case PCMU -> AudioFormat.PCMU;
      case PCMA -> AudioFormat.PCMA;
      case PCM16, UNKNOWN -> AudioFormat.PCM_24K;
    };
  }

  private static TurnDetection turnDetection(TurnDetectionSpec spec) {
    return switch (spec.type()) {
      case "none" -> TurnDetection.MANUAL;
      case "semantic_vad" ->
          new TurnDetection.SemanticVad(
              spec.eagerness(), spec.createResponse(), spec.interruptResponse());
      default ->
          new TurnDetection.ServerVad(
              spec.threshold(),
              spec.prefixPaddingMs(),
              spec.silenceDurationMs(),
              spec.createResponse(),
              spec.interruptResponse(),
              spec.idleTimeoutMs());
    };
  }

  private static ToolChoice toolChoice(String choice) {
    return switch (choice) {
      case "none" -> ToolChoice.NONE;
      case "required" -> ToolChoice.REQUIRED;
      default -> ToolChoice.AUTO;
    };
  }
}
