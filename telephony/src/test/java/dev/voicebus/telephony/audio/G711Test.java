package dev.voicebus.telephony.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * G.711 against the ITU-T G.711 tables: decision values at every segment end (Tables 1 and 2,
 * 14-bit mu-law values x 4 and 13-bit A-law values x 8 in 16-bit PCM) and reconstruction levels,
 * plus round trips and signs.
 */
class G711Test {

  /** Mu-law segment ends (14-bit decision value): last code of a segment, first of the next. */
  @ParameterizedTest
  @CsvSource({
    "31, F0, EF",
    "95, E0, DF",
    "223, D0, CF",
    "479, C0, BF",
    "991, B0, AF",
    "2015, A0, 9F",
    "4063, 90, 8F"
  })
  void muLawSwitchesSegmentsAtTheItuDecisionValues(int decision14, String below, String above) {
    int threshold = decision14 * 4;
    assertThat(hex(G711.pcmToMuLaw((short) (threshold - 1)))).isEqualTo(below);
    assertThat(hex(G711.pcmToMuLaw((short) threshold))).isEqualTo(above);
    // Negative inputs: same thresholds on the magnitude, sign bit clear.
    assertThat(G711.pcmToMuLaw((short) -threshold)).isEqualTo((byte) (parse(below) & 0x7F));
    assertThat(G711.pcmToMuLaw((short) (-threshold - 1))).isEqualTo((byte) (parse(above) & 0x7F));
  }

  /** A-law segment ends (13-bit decision value): last code of a segment, first of the next. */
  @ParameterizedTest
  @CsvSource({
    "32, DA, C5",
    "64, CA, F5",
    "128, FA, E5",
    "256, EA, 95",
    "512, 9A, 85",
    "1024, 8A, B5",
    "2048, BA, A5"
  })
  void aLawSwitchesSegmentsAtTheItuDecisionValues(int decision13, String below, String above) {
    int threshold = decision13 * 8;
    assertThat(hex(G711.pcmToALaw((short) (threshold - 1)))).isEqualTo(below);
    assertThat(hex(G711.pcmToALaw((short) threshold))).isEqualTo(above);
    assertThat(G711.pcmToALaw((short) -threshold)).isEqualTo((byte) (parse(below) ^ 0x80));
    assertThat(G711.pcmToALaw((short) (-threshold - 1))).isEqualTo((byte) (parse(above) ^ 0x80));
  }

  /** First reconstruction level of each mu-law segment, in 14-bit units (Table 2/G.711). */
  @ParameterizedTest
  @CsvSource({
    "FF, 0",
    "EF, 33",
    "DF, 99",
    "CF, 231",
    "BF, 495",
    "AF, 1023",
    "9F, 2079",
    "8F, 4191",
    "80, 8031"
  })
  void muLawDecodesToTheItuReconstructionLevels(String code, int level14) {
    assertThat(G711.muLawToPcm((byte) parse(code))).isEqualTo((short) (level14 * 4));
    assertThat(G711.muLawToPcm((byte) (parse(code) & 0x7F))).isEqualTo((short) (-level14 * 4));
  }

  /** First reconstruction level of each A-law segment, in 13-bit units (Table 1/G.711). */
  @ParameterizedTest
  @CsvSource({
    "D5, 1",
    "C5, 33",
    "F5, 66",
    "E5, 132",
    "95, 264",
    "85, 528",
    "B5, 1056",
    "A5, 2112",
    "AA, 4032"
  })
  void aLawDecodesToTheItuReconstructionLevels(String code, int level13) {
    assertThat(G711.aLawToPcm((byte) parse(code))).isEqualTo((short) (level13 * 8));
    assertThat(G711.aLawToPcm((byte) (parse(code) ^ 0x80))).isEqualTo((short) (-level13 * 8));
  }

  @Test
  void encodesSilenceToTheStandardCodewords() {
    assertThat(G711.pcmToMuLaw((short) 0)).isEqualTo(G711.MU_LAW_SILENCE).isEqualTo((byte) 0xFF);
    assertThat(G711.pcmToALaw((short) 0)).isEqualTo(G711.A_LAW_SILENCE).isEqualTo((byte) 0xD5);
    assertThat(G711.muLawToPcm((byte) 0xFF)).isZero();
    assertThat(G711.muLawToPcm((byte) 0x7F)).isZero();
  }

  @Test
  void clipsBeyondTheLastSegment() {
    assertThat(G711.pcmToMuLaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    assertThat(G711.pcmToMuLaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    assertThat(G711.pcmToALaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
    assertThat(G711.pcmToALaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
  }

  @Test
  void everyCodewordEncodesBackToItselfFromItsReconstructionLevel() {
    for (int code = 0; code < 256; code++) {
      byte b = (byte) code;
      assertThat(G711.pcmToALaw(G711.aLawToPcm(b))).as("A-law %02X", code).isEqualTo(b);
      // 0x7F is mu-law's negative zero; its level 0 encodes as positive zero 0xFF.
      byte expected = code == 0x7F ? G711.MU_LAW_SILENCE : b;
      assertThat(G711.pcmToMuLaw(G711.muLawToPcm(b))).as("mu-law %02X", code).isEqualTo(expected);
    }
  }

  @Test
  void roundTripsWithinCompandingErrorAndKeepsTheSign() {
    for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 37) {
      short pcm = (short) s;
      int muLaw = G711.muLawToPcm(G711.pcmToMuLaw(pcm));
      int aLaw = G711.aLawToPcm(G711.pcmToALaw(pcm));
      assertThat(Math.abs(muLaw - s))
          .as("mu-law %d -> %d", s, muLaw)
          .isLessThanOrEqualTo(Math.max(8, Math.abs(s) / 16));
      assertThat(Math.abs(aLaw - s))
          .as("A-law %d -> %d", s, aLaw)
          .isLessThanOrEqualTo(Math.max(16, Math.abs(s) / 16));
      if (Math.abs(s) > 64) {
        assertThat(Integer.signum(muLaw)).isEqualTo(Integer.signum(s));
        assertThat(Integer.signum(aLaw)).isEqualTo(Integer.signum(s));
      }
    }
  }

  @Test
  void encodesAndDecodesArrays() {
    short[] pcm = {0, 1000, -1000, Short.MAX_VALUE};
    byte[] muLaw = G711.pcmToMuLaw(pcm, 1, 4);
    assertThat(muLaw)
        .containsExactly(
            G711.pcmToMuLaw((short) 1000),
            G711.pcmToMuLaw((short) -1000),
            G711.pcmToMuLaw(Short.MAX_VALUE));
    assertThat(G711.muLawToPcm(muLaw))
        .containsExactly(
            G711.muLawToPcm(muLaw[0]), G711.muLawToPcm(muLaw[1]), G711.muLawToPcm(muLaw[2]));
    byte[] aLaw = {G711.pcmToALaw((short) 500), G711.pcmToALaw((short) -500)};
    assertThat(G711.aLawToPcm(aLaw))
        .containsExactly(G711.aLawToPcm(aLaw[0]), G711.aLawToPcm(aLaw[1]));
  }

  private static String hex(byte b) {
    return String.format("%02X", b & 0xFF);
  }

  private static int parse(String hex) {
    return Integer.parseInt(hex, 16);
  }
}
