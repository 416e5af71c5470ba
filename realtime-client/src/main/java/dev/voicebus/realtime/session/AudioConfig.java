package dev.voicebus.realtime.session;

/**
 * {@code session.audio}: input and output audio settings (a transcription session has input only).
 */
public record AudioConfig(AudioInput input, AudioOutput output) {

  /** {@code base} with the non-null fields of {@code update} applied (either may be null). */
  static AudioConfig merge(AudioConfig base, AudioConfig update) {
    if (update == null) {
      return base;
    }
    if (base == null) {
      return update;
    }
    return new AudioConfig(
        AudioInput.merge(base.input, update.input), AudioOutput.merge(base.output, update.output));
  }
}
