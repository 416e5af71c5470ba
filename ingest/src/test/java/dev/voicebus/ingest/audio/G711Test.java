package dev.voicebus.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioCodec;
import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void muLawRoundTripsWithinQuantisationError() {
    for (int s = -32000; s <= 32000; s += 97) {
      short decoded = G711.muLawToLinear(G711.linearToMuLaw((short) s));
      assertThat(Math.abs(decoded - s)).isLessThanOrEqualTo(Math.max(8, Math.abs(s) / 16));
    }
  }

  @Test
  void aLawRoundTripsWithinQuantisationError() {
    for (int s = -32000; s <= 32000; s += 97) {
      short decoded = G711.aLawToLinear(G711.linearToALaw((short) s));
      assertThat(Math.abs(decoded - s)).isLessThanOrEqualTo(Math.max(16, Math.abs(s) / 16));
    }
  }

  @Test
  void knowsSilenceAndByteRates() {
    assertThat(G711.linearToMuLaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(G711.linearToALaw((short) 0)).isEqualTo((byte) 0xD5);
    assertThat(AudioFormats.frameBytes(AudioCodec.PCMU)).isEqualTo(160);
    assertThat(AudioFormats.frameBytes(AudioCodec.PCM16)).isEqualTo(960);
    assertThat(AudioFormats.parse("audio/x-mulaw")).contains(AudioCodec.PCMU);
    assertThat(AudioFormats.parse("opus")).isEmpty();
  }
}
