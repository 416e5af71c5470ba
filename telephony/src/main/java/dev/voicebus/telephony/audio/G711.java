package dev.voicebus.telephony.audio;

/**
 * ITU-T G.711 mu-law and A-law companding between 8-bit codewords and signed 16-bit linear PCM, the
 * one codec every Voicebus module uses for telephony audio. Encoding follows the ITU-T G.191
 * reference implementation of G.711 bit for bit (negative samples are taken in one's complement, so
 * the decision thresholds are symmetric); decoding yields the reconstruction levels of the G.711
 * tables scaled to 16 bits (mu-law: 14-bit values x 4, A-law: 13-bit values x 8). All methods are
 * pure and thread-safe.
 */
public final class G711 {

  /** The mu-law codeword of a zero sample; the silence a phone line carries. */
  public static final byte MU_LAW_SILENCE = (byte) 0xFF;

  /** The A-law codeword of a zero sample (the smallest positive level). */
  public static final byte A_LAW_SILENCE = (byte) 0xD5;

  private static final int MU_LAW_BIAS = 33;
  private static final int MU_LAW_MAX = 0x1FFF;
  private static final short[] MU_LAW_TO_PCM = new short[256];
  private static final short[] A_LAW_TO_PCM = new short[256];

  static {
    for (int code = 0; code < 256; code++) {
      MU_LAW_TO_PCM[code] = expandMuLaw(code);
      A_LAW_TO_PCM[code] = expandALaw(code);
    }
  }

  private G711() {}

  /** Encodes one 16-bit sample to its mu-law codeword. */
  public static byte pcmToMuLaw(short pcm) {
    int magnitude = ((pcm < 0 ? ~pcm : pcm) >> 2) + MU_LAW_BIAS;
    if (magnitude > MU_LAW_MAX) {
      magnitude = MU_LAW_MAX;
    }
    int segment = 1;
    for (int i = magnitude >> 6; i != 0; i >>= 1) {
      segment++;
    }
    int high = 8 - segment;
    int low = 0x0F - ((magnitude >> segment) & 0x0F);
    int code = (high << 4) | low;
    return (byte) (pcm >= 0 ? code | 0x80 : code);
  }

  /** Decodes one mu-law codeword to a 16-bit sample. */
  public static short muLawToPcm(byte muLaw) {
    return MU_LAW_TO_PCM[muLaw & 0xFF];
  }

  /** Encodes one 16-bit sample to its A-law codeword. */
  public static byte pcmToALaw(short pcm) {
    int magnitude = (pcm < 0 ? ~pcm : pcm) >> 4;
    if (magnitude > 15) {
      int exponent = 1;
      while (magnitude > 16 + 15) {
        magnitude >>= 1;
        exponent++;
      }
      magnitude = magnitude - 16 + (exponent << 4);
    }
    int code = pcm >= 0 ? magnitude | 0x80 : magnitude;
    return (byte) (code ^ 0x55);
  }

  /** Decodes one A-law codeword to a 16-bit sample. */
  public static short aLawToPcm(byte aLaw) {
    return A_LAW_TO_PCM[aLaw & 0xFF];
  }

  /** Encodes {@code pcm[from, to)} to mu-law, one codeword per sample. */
  public static byte[] pcmToMuLaw(short[] pcm, int from, int to) {
    byte[] out = new byte[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = pcmToMuLaw(pcm[i]);
    }
    return out;
  }

  /** Decodes mu-law codewords to 16-bit samples. */
  public static short[] muLawToPcm(byte[] muLaw) {
    short[] out = new short[muLaw.length];
    for (int i = 0; i < muLaw.length; i++) {
      out[i] = muLawToPcm(muLaw[i]);
    }
    return out;
  }

  /** Decodes A-law codewords to 16-bit samples. */
  public static short[] aLawToPcm(byte[] aLaw) {
    short[] out = new short[aLaw.length];
    for (int i = 0; i < aLaw.length; i++) {
      out[i] = aLawToPcm(aLaw[i]);
    }
    return out;
  }

  private static short expandMuLaw(int code) {
    int inverted = ~code;
    int exponent = (inverted >> 4) & 0x07;
    int mantissa = inverted & 0x0F;
    int step = 4 << (exponent + 1);
    int magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * MU_LAW_BIAS;
    return (short) (code < 0x80 ? -magnitude : magnitude);
  }

  private static short expandALaw(int code) {
    int bits = (code ^ 0x55) & 0x7F;
    int exponent = bits >> 4;
    int mantissa = bits & 0x0F;
    if (exponent > 0) {
      mantissa += 16;
    }
    int magnitude = (mantissa << 4) + 0x08;
    if (exponent > 1) {
      magnitude <<= exponent - 1;
    }
    return (short) (code > 0x7F ? magnitude : -magnitude);
  }
}
