package dev.voicebus.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioCodec;
import org.junit.jupiter.api.Test;

class AudioFormatsTest {

  @Test
  void knowsByteRatesAndCodecNames() {
    assertThat(AudioFormats.frameBytes(AudioCodec.PCMU)).isEqualTo(160);
    assertThat(AudioFormats.frameBytes(AudioCodec.PCM16)).isEqualTo(960);
    assertThat(AudioFormats.parse("audio/x-mulaw")).contains(AudioCodec.PCMU);
    assertThat(AudioFormats.parse("opus")).isEmpty();
  }
}
