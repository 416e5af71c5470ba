package dev.voicebus.realtime.session;

/**
 * {@code audio.input}: format, transcription, noise reduction and turn detection. A null field is
 * omitted from JSON (left unchanged by a partial update); use {@link TurnDetection#MANUAL} to send
 * {@code "turn_detection": null}.
 */
public record AudioInput(
    AudioFormat format,
    InputTranscription transcription,
    NoiseReduction noiseReduction,
    TurnDetection turnDetection) {

  /** Input in the given format with server VAD defaults. */
  public static AudioInput of(AudioFormat format) {
    return new AudioInput(format, null, null, null);
  }

  public AudioInput withTranscription(InputTranscription value) {
    return new AudioInput(format, value, noiseReduction, turnDetection);
  }

  public AudioInput withNoiseReduction(NoiseReduction value) {
    return new AudioInput(format, transcription, value, turnDetection);
  }

  public AudioInput withTurnDetection(TurnDetection value) {
    return new AudioInput(format, transcription, noiseReduction, value);
  }

  static AudioInput merge(AudioInput base, AudioInput update) {
    if (base == null || update == null) {
      return update == null ? base : update;
    }
    return new AudioInput(
        SessionConfig.or(update.format, base.format),
        SessionConfig.or(update.transcription, base.transcription),
        SessionConfig.or(update.noiseReduction, base.noiseReduction),
        SessionConfig.or(update.turnDetection, base.turnDetection));
  }
}
