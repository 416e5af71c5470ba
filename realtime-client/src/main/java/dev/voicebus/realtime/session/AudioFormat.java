package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An audio format of the GA protocol: {@code audio/pcm} (16-bit little-endian mono at 24 kHz only),
 * {@code audio/pcmu} (G.711 u-law, 8 kHz) or {@code audio/pcma} (G.711 A-law, 8 kHz). Reading also
 * accepts the legacy string names ({@code pcm16}, {@code g711_ulaw}, {@code g711_alaw}).
 */
public record AudioFormat(String type, Integer rate) {

  public static final AudioFormat PCM_24K = new AudioFormat("audio/pcm", 24000);
  public static final AudioFormat PCMU = new AudioFormat("audio/pcmu", null);
  public static final AudioFormat PCMA = new AudioFormat("audio/pcma", null);

  /** Bytes of audio per millisecond in this format (48 for PCM16 at 24 kHz, 8 for G.711). */
  public int bytesPerMillisecond() {
    return "audio/pcm".equals(type) ? 48 : 8;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static AudioFormat fromJson(JsonNode node) {
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "pcm16", "audio/pcm" -> PCM_24K;
        case "g711_ulaw", "audio/pcmu" -> PCMU;
        case "g711_alaw", "audio/pcma" -> PCMA;
        default -> new AudioFormat(node.asText(), null);
      };
    }
    JsonNode rate = node.get("rate");
    return new AudioFormat(
        node.path("type").asText(null), rate == null || rate.isNull() ? null : rate.asInt());
  }
}
