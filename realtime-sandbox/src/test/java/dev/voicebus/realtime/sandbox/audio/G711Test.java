package dev.voicebus.realtime.sandbox.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** G.711 codecs: standard codewords, round trips, signs. */
class G711Test {
  @Test
  void encodesSilenceToTheStandardCodewords() {
    assertThat(G711.pcmToUlaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(G711.pcmToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    assertThat(G711.ulawToPcm((byte) 0xFF)).isEqualTo((short) 0);
  }

  @Test
  void roundTripsWithinCompandingError() {
    for (int s = -32000; s <= 32000; s += 37) {
      short pcm = (short) s;
      int tolerance = Math.max(16, Math.abs(s) / 16);
      assertThat((int) G711.ulawToPcm(G711.pcmToUlaw(pcm))).isCloseTo(s, withinAbs(tolerance));
      assertThat((int) G711.alawToPcm(G711.pcmToAlaw(pcm))).isCloseTo(s, withinAbs(tolerance));
    }
  }

  @Test
  void keepsTheSignOfSamples() {
    assertThat(G711.ulawToPcm(G711.pcmToUlaw((short) -1000))).isNegative();
    assertThat(G711.alawToPcm(G711.pcmToAlaw((short) -1000))).isNegative();
    assertThat(G711.ulawToPcm(G711.pcmToUlaw((short) 1000))).isPositive();
    assertThat(G711.alawToPcm(G711.pcmToAlaw((short) 1000))).isPositive();
  }

  private static Offset<Integer> withinAbs(int v) {
    return Offset.offset(v);
  }
}
