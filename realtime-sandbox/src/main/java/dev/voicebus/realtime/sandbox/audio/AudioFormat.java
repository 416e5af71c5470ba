package dev.voicebus.realtime.sandbox.audio;

import dev.voicebus.telephony.audio.G711;
import java.util.Locale;

/**
 * The three audio formats of the GA Realtime API, with their sample rate and byte layout. Offsets
 * in milliseconds are derived from byte counts: G.711 is 8 bytes per ms, PCM16 at 24 kHz is 48.
 */
public enum AudioFormat {
  PCM16("audio/pcm", 24_000, 2),
  PCMU("audio/pcmu", 8_000, 1),
  PCMA("audio/pcma", 8_000, 1);

  private final String wireType;
  private final int sampleRate;
  private final int bytesPerSample;

  AudioFormat(String wireType, int sampleRate, int bytesPerSample) {
    this.wireType = wireType;
    this.sampleRate = sampleRate;
    this.bytesPerSample = bytesPerSample;
  }

  /** Parses the GA {@code format.type} value; throws for anything else. */
  public static AudioFormat fromWireType(String type) {
    for (AudioFormat f : values()) {
      if (f.wireType.equals(type)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "Unknown audio format '" + type + "'; expected audio/pcm, audio/pcmu or audio/pcma");
  }

  public String wireType() {
    return wireType;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int bytesPerSample() {
    return bytesPerSample;
  }

  /** Bytes of audio per millisecond in this format. */
  public int bytesPerMs() {
    return sampleRate / 1000 * bytesPerSample;
  }

  /** Duration in milliseconds of {@code bytes} bytes of this format. */
  public long millis(long bytes) {
    return bytes / bytesPerMs();
  }

  /** Decodes sample {@code index} (not byte offset) of {@code data} to 16-bit PCM. */
  public short sampleAt(byte[] data, int index) {
    return switch (this) {
      case PCMU -> G711.muLawToPcm(data[index]);
      case PCMA -> G711.aLawToPcm(data[index]);
      case PCM16 -> (short) ((data[2 * index] & 0xFF) | (data[2 * index + 1] << 8));
    };
  }

  /** Encodes {@code sample} at sample {@code index} of {@code out}. */
  public void putSample(byte[] out, int index, short sample) {
    switch (this) {
      case PCMU -> out[index] = G711.pcmToMuLaw(sample);
      case PCMA -> out[index] = G711.pcmToALaw(sample);
      case PCM16 -> {
        out[2 * index] = (byte) sample;
        out[2 * index + 1] = (byte) (sample >> 8);
      }
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
