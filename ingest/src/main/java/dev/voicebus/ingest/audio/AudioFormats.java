package dev.voicebus.ingest.audio;

import dev.voicebus.avro.AudioCodec;
import java.util.Locale;
import java.util.Optional;

/**
 * Byte rates and names of the codecs Voicebus carries: G.711 mu-law/a-law at 8 kHz (8 bytes per ms)
 * and 16-bit little-endian PCM at 24 kHz (48 bytes per ms).
 */
public final class AudioFormats {

  private AudioFormats() {}

  public static int bytesPerMs(AudioCodec codec) {
    return switch (codec) {
      case PCMU, PCMA -> 8;
      case PCM16 -> 48;
      default -> throw new IllegalArgumentException("codec " + codec + " has no byte rate");
    };
  }

  public static int sampleRate(AudioCodec codec) {
    return codec == AudioCodec.PCM16 ? 24_000 : 8_000;
  }

  /** Bytes of one 20 ms frame: 160 for G.711, 960 for pcm16. */
  public static int frameBytes(AudioCodec codec) {
    return bytesPerMs(codec) * 20;
  }

  /** Parses {@code pcmu}, {@code pcma} or {@code pcm16} (any case). */
  public static Optional<AudioCodec> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "pcmu", "mulaw", "ulaw", "audio/x-mulaw" -> Optional.of(AudioCodec.PCMU);
      case "pcma", "alaw", "audio/x-alaw" -> Optional.of(AudioCodec.PCMA);
      case "pcm16", "l16", "audio/pcm" -> Optional.of(AudioCodec.PCM16);
      default -> Optional.empty();
    };
  }
}
