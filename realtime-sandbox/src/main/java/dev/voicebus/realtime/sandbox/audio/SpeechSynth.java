package dev.voicebus.realtime.sandbox.audio;

import java.util.EnumMap;
import java.util.Map;

/**
 * Generates a speech-like waveform: a 120 Hz voiced source with a few formant tones, shaped by a
 * syllable-rate (4 Hz) amplitude envelope with short gaps. It is deterministic in the sample index,
 * so any chunk can be rendered on its own without keeping state, and an energy VAD or meter
 * downstream sees it as speech. All frequencies are whole hertz, so the signal repeats every
 * second: one encoded second per format is computed once and copied, which keeps synthesis cheap
 * with thousands of sessions. Also renders silence for tests that simulate a caller.
 */
public final class SpeechSynth {
  /** Milliseconds of agent audio per character of spoken text (about 150 words per minute). */
  public static final int MS_PER_CHAR = 65;

  private static final double PEAK = 9000;
  private static final double SYLLABLE_SECONDS = 0.25;
  private static final double VOICED_FRACTION = 0.8;
  private static final Map<AudioFormat, byte[]> ONE_SECOND = encodeOneSecond();

  private SpeechSynth() {}

  /** Realistic speaking duration for {@code text}, at least 300 ms. */
  public static long durationMs(String text) {
    return Math.max(300, (long) text.length() * MS_PER_CHAR);
  }

  /** The 16-bit speech sample at {@code index} for a stream at {@code sampleRate}. */
  public static short sample(long index, int sampleRate) {
    double t = (double) index / sampleRate;
    double phase = (t / SYLLABLE_SECONDS) % 1.0;
    if (phase >= VOICED_FRACTION) {
      return 0;
    }
    double env = Math.sin(Math.PI * phase / VOICED_FRACTION);
    double v =
        0.45 * Math.sin(2 * Math.PI * 120 * t)
            + 0.30 * Math.sin(2 * Math.PI * 700 * t)
            + 0.20 * Math.sin(2 * Math.PI * 1200 * t)
            + 0.10 * Math.sin(2 * Math.PI * 2500 * t);
    return (short) Math.round(PEAK * env * env * v);
  }

  /**
   * Encodes {@code sampleCount} speech samples starting at {@code firstSample} in {@code format}.
   */
  public static byte[] speech(AudioFormat format, long firstSample, int sampleCount) {
    byte[] second = ONE_SECOND.get(format);
    int bps = format.bytesPerSample();
    byte[] out = new byte[sampleCount * bps];
    int pos = (int) (firstSample % format.sampleRate()) * bps;
    for (int written = 0; written < out.length; ) {
      int n = Math.min(out.length - written, second.length - pos);
      System.arraycopy(second, pos, out, written, n);
      written += n;
      pos = 0;
    }
    return out;
  }

  private static Map<AudioFormat, byte[]> encodeOneSecond() {
    Map<AudioFormat, byte[]> out = new EnumMap<>(AudioFormat.class);
    for (AudioFormat f : AudioFormat.values()) {
      byte[] bytes = new byte[f.sampleRate() * f.bytesPerSample()];
      for (int i = 0; i < f.sampleRate(); i++) {
        f.putSample(bytes, i, sample(i, f.sampleRate()));
      }
      out.put(f, bytes);
    }
    return out;
  }

  /** Encodes {@code ms} milliseconds of speech starting at sample 0. */
  public static byte[] speechMs(AudioFormat format, int ms) {
    return speech(format, 0, format.sampleRate() / 1000 * ms);
  }

  /** Encodes {@code ms} milliseconds of digital silence in {@code format}. */
  public static byte[] silenceMs(AudioFormat format, int ms) {
    byte[] out = new byte[format.sampleRate() / 1000 * ms * format.bytesPerSample()];
    for (int i = 0; i < out.length / format.bytesPerSample(); i++) {
      format.putSample(out, i, (short) 0);
    }
    return out;
  }
}
