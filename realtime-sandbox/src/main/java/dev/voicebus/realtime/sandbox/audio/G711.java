package dev.voicebus.realtime.sandbox.audio;

/**
 * ITU-T G.711 mu-law and A-law codecs between 8-bit companded samples and signed 16-bit PCM. The
 * sandbox decodes caller audio to measure its energy and encodes synthesized agent speech in the
 * session's output format.
 */
public final class G711 {
  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;
  private static final short[] ULAW_TO_PCM = new short[256];
  private static final short[] ALAW_TO_PCM = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      ULAW_TO_PCM[i] = decodeUlawSlow((byte) i);
      ALAW_TO_PCM[i] = decodeAlawSlow((byte) i);
    }
  }

  private G711() {}

  /** Decodes one mu-law byte to a 16-bit sample. */
  public static short ulawToPcm(byte ulaw) {
    return ULAW_TO_PCM[ulaw & 0xFF];
  }

  /** Decodes one A-law byte to a 16-bit sample. */
  public static short alawToPcm(byte alaw) {
    return ALAW_TO_PCM[alaw & 0xFF];
  }

  /** Encodes a 16-bit sample to mu-law. */
  public static byte pcmToUlaw(short pcm) {
    int sample = pcm;
    int sign = (sample >> 8) & 0x80;
    if (sign != 0) {
      sample = -sample;
    }
    if (sample > CLIP) {
      sample = CLIP;
    }
    sample += BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (sample >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  /** Encodes a 16-bit sample to A-law. */
  public static byte pcmToAlaw(short pcm) {
    int sample = pcm;
    int sign = 0x80;
    if (sample < 0) {
      sign = 0;
      sample = -sample - 1;
    }
    sample = Math.min(sample, 32767) >> 3;
    int compressed;
    if (sample < 32) {
      compressed = sample >> 1;
    } else {
      int exponent = 1;
      while (sample >= (64 << (exponent - 1)) && exponent < 7) {
        exponent++;
      }
      compressed = (exponent << 4) | ((sample >> exponent) & 0x0F);
    }
    return (byte) ((compressed | sign) ^ 0x55);
  }

  private static short decodeUlawSlow(byte ulaw) {
    int u = ~ulaw & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int sample = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    return (short) (sign != 0 ? -sample : sample);
  }

  private static short decodeAlawSlow(byte alaw) {
    int a = (alaw & 0xFF) ^ 0x55;
    int sign = a & 0x80;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (short) (sign != 0 ? sample : -sample);
  }
}
