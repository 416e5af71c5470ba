package dev.voicebus.realtime.sandbox.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Speech boundaries from the energy VAD on synthetic caller audio, in every format. */
class EnergyVadTest {
  @ParameterizedTest
  @EnumSource(AudioFormat.class)
  void reportsSpeechBoundariesWithPaddingAndSilenceDuration(AudioFormat format) {
    byte[] audio =
        concat(
            SpeechSynth.silenceMs(format, 500),
            SpeechSynth.speechMs(format, 1200),
            SpeechSynth.silenceMs(format, 800));
    List<String> events = new ArrayList<>();
    EnergyVad vad = new EnergyVad(format, 0.5, 300, 500);
    int frame = format.bytesPerMs() * 20;
    for (int off = 0; off < audio.length; off += frame) {
      byte[] chunk = Arrays.copyOfRange(audio, off, Math.min(audio.length, off + frame));
      vad.accept(chunk, recorder(events));
    }
    assertThat(events).hasSize(2);
    long start = Long.parseLong(events.get(0).substring(6));
    long stop = Long.parseLong(events.get(1).substring(5));
    // Speech begins at 500 ms (minus 300 ms padding); the envelope rises over ~25 ms.
    assertThat(start).isBetween(200L, 250L);
    // Speech ends at 1700 ms; stop is reported after 500 ms of silence.
    assertThat(stop).isBetween(2150L, 2220L);
  }

  @ParameterizedTest
  @EnumSource(AudioFormat.class)
  void staysQuietOnSilence(AudioFormat format) {
    List<String> events = new ArrayList<>();
    EnergyVad vad = new EnergyVad(format, 0.5, 300, 500);
    vad.accept(SpeechSynth.silenceMs(format, 3000), recorder(events));
    assertThat(events).isEmpty();
    assertThat(vad.positionMs()).isEqualTo(3000);
  }

  private static EnergyVad.Listener recorder(List<String> events) {
    return new EnergyVad.Listener() {
      @Override
      public void speechStarted(long audioStartMs) {
        events.add("start:" + audioStartMs);
      }

      @Override
      public void speechStopped(long audioEndMs) {
        events.add("stop:" + audioEndMs);
      }
    };
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
