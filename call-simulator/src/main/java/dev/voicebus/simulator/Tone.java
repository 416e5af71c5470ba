package dev.voicebus.simulator;

import dev.voicebus.telephony.audio.G711;

/** Recognisable caller audio for tests and benchmarks: a sine tone as 8 kHz mu-law. */
public final class Tone {

  private Tone() {}

  /** {@code ms} milliseconds of a {@code hz} sine tone at a moderate level, as 8 kHz mu-law. */
  public static byte[] muLaw(double hz, int ms) {
    byte[] out = new byte[ms * 8];
    for (int i = 0; i < out.length; i++) {
      double t = i / 8000.0;
      out[i] = G711.pcmToMuLaw((short) (Math.sin(2 * Math.PI * hz * t) * 8000));
    }
    return out;
  }
}
