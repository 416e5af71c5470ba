package dev.voicebus.recorder.audio;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.telephony.audio.G711;
import java.nio.ByteBuffer;

/**
 * How a call's audio becomes the recording's 16-bit linear PCM: telephony codecs (mu-law, A-law)
 * are decoded with the project's one G.711 codec and recorded at 8 kHz; {@code pcm16} calls are
 * recorded as they are, at 24 kHz (no resampling). Pure and thread-safe.
 */
public enum PcmFormat {
  PCMU(8_000),
  PCMA(8_000),
  PCM16(24_000);

  private final int sampleRate;

  PcmFormat(int sampleRate) {
    this.sampleRate = sampleRate;
  }

  /**
   * The format of {@code codec}.
   *
   * @throws IllegalArgumentException for a codec this version does not know ({@code UNKNOWN})
   */
  public static PcmFormat of(AudioCodec codec) {
    return switch (codec) {
      case PCMU -> PCMU;
      case PCMA -> PCMA;
      case PCM16 -> PCM16;
      default ->
          throw new IllegalArgumentException(
              "codec " + codec + " cannot be recorded: use PCMU, PCMA or PCM16");
    };
  }

  /** Whether audio in {@code codec} is in this format. */
  public boolean matches(AudioCodec codec) {
    return codec != null && codec.name().equals(name());
  }

  /** Samples per second of the recording of a call in this codec. */
  public int sampleRate() {
    return sampleRate;
  }

  /** How many samples {@code bytes} bytes of this codec hold. */
  public int samples(int bytes) {
    return this == PCM16 ? bytes / 2 : bytes;
  }

  /** Sample count of {@code ms} milliseconds. */
  public long samplesOf(long ms) {
    return Math.floorDiv(ms * sampleRate, 1000L);
  }

  /** Milliseconds of {@code samples} samples. */
  public long millisOf(long samples) {
    return Math.floorDiv(samples * 1000L, sampleRate);
  }

  /**
   * The payload as 16-bit little-endian PCM bytes (two per sample); an odd trailing byte of a
   * {@code pcm16} payload is dropped.
   */
  public byte[] toPcm16Le(ByteBuffer payload) {
    ByteBuffer in = payload.duplicate();
    int samples = samples(in.remaining());
    byte[] out = new byte[samples * 2];
    if (this == PCM16) {
      in.get(out);
      return out;
    }
    for (int i = 0; i < samples; i++) {
      byte code = in.get();
      short pcm = this == PCMU ? G711.muLawToPcm(code) : G711.aLawToPcm(code);
      out[2 * i] = (byte) pcm;
      out[2 * i + 1] = (byte) (pcm >> 8);
    }
    return out;
  }
}
