package dev.voicebus.realtime.session;

/** {@code audio.output}: format, voice (fixed after the first audio) and speed 0.25-1.5. */
public record AudioOutput(AudioFormat format, Voice voice, Double speed) {

  /** Output in the given format and voice, default speed. */
  public static AudioOutput of(AudioFormat format, String voice) {
    return new AudioOutput(format, voice == null ? null : Voice.of(voice), null);
  }

  static AudioOutput merge(AudioOutput base, AudioOutput update) {
    if (base == null || update == null) {
      return update == null ? base : update;
    }
    return new AudioOutput(
        SessionConfig.or(update.format, base.format),
        SessionConfig.or(update.voice, base.voice),
        SessionConfig.or(update.speed, base.speed));
  }
}
