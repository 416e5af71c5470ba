package dev.voicebus.ingest.audio;

/**
 * G.711 mu-law and a-law encode/decode of 16-bit linear samples (ITU-T G.711), for tests, the
 * simulator and tools that need to make or inspect telephony audio.
 */
public final class G711 {

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;

  private G711() {}

  public static byte linearToMuLaw(short pcm) {
    int sample = pcm;
    int sign = (sample >> 8) & 0x80;
    if (sign != 0) {
      sample = -sample;
    }
    sample = Math.min(sample, CLIP) + BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (sample >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static short muLawToLinear(byte ulaw) {
    int u = ~ulaw & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int sample = ((mantissa << 3) + BIAS) << exponent;
    sample -= BIAS;
    return (short) (sign != 0 ? -sample : sample);
  }

  public static byte linearToALaw(short pcm) {
    int sample = pcm;
    int sign = (~sample >> 8) & 0x80;
    if (sign == 0) {
      sample = -sample;
    }
    sample = Math.min(sample, 32767);
    int encoded;
    if (sample >= 256) {
      int exponent = 7;
      for (int mask = 0x4000; (sample & mask) == 0 && exponent > 1; mask >>= 1) {
        exponent--;
      }
      int mantissa = (sample >> (exponent + 3)) & 0x0F;
      encoded = (exponent << 4) | mantissa;
    } else {
      encoded = sample >> 4;
    }
    return (byte) ((encoded | sign) ^ 0x55);
  }

  public static short aLawToLinear(byte alaw) {
    int a = (alaw ^ 0x55) & 0xFF;
    int sign = a & 0x80;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (short) (sign != 0 ? sample : -sample);
  }

  /** A 20 ms mu-law frame of a sine tone, handy as recognisable test audio. */
  public static byte[] muLawTone(double hz, int ms, int startSample) {
    byte[] out = new byte[ms * 8];
    for (int i = 0; i < out.length; i++) {
      double t = (startSample + i) / 8000.0;
      out[i] = linearToMuLaw((short) (Math.sin(2 * Math.PI * hz * t) * 8000));
    }
    return out;
  }
}
