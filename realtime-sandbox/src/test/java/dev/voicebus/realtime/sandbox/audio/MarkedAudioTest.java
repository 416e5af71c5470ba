package dev.voicebus.realtime.sandbox.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Marked frames read back in order and still sound like speech and silence to the VAD. */
class MarkedAudioTest {

  @Test
  void readsBackTheSequenceInOrderWithGapsAndRepeats() {
    var audio = new ByteArrayOutputStream();
    for (long seq : new long[] {0, 1, 2, 7, 7, 5, 4095, 70_000}) {
      audio.writeBytes(MarkedAudio.frame(seq, seq % 2 == 0));
    }
    assertThat(MarkedAudio.sequence(audio.toByteArray()))
        .containsExactly(0L, 1L, 2L, 7L, 7L, 5L, 4095L, 70_000L);
  }

  @Test
  void rejectsSplitOrUnmarkedAudio() {
    byte[] frame = MarkedAudio.frame(3, true);
    assertThatThrownBy(() -> MarkedAudio.sequence(Arrays.copyOf(frame, 100)))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> MarkedAudio.sequence(SpeechSynth.speech(AudioFormat.PCMU, 4000, 160)))
        .hasMessageContaining("no mark");
    assertThatThrownBy(() -> MarkedAudio.sequence(SpeechSynth.silenceMs(AudioFormat.PCMU, 20)))
        .hasMessageContaining("no mark");
  }

  @Test
  void theMarkLeavesSpeechAndSilenceAsTheyWere() {
    List<String> events = new ArrayList<>();
    EnergyVad vad = new EnergyVad(AudioFormat.PCMU, 0.5, 300, 500);
    EnergyVad.Listener listener =
        new EnergyVad.Listener() {
          @Override
          public void speechStarted(long audioStartMs) {
            events.add("start");
          }

          @Override
          public void speechStopped(long audioEndMs) {
            events.add("stop");
          }
        };
    long seq = 0;
    for (int i = 0; i < 50; i++) {
      vad.accept(MarkedAudio.frame(seq++, false), listener);
    }
    assertThat(events).as("marked silence").isEmpty();
    for (int i = 0; i < 60; i++) {
      vad.accept(MarkedAudio.frame(seq++, true), listener);
    }
    for (int i = 0; i < 40; i++) {
      vad.accept(MarkedAudio.frame(seq++, false), listener);
    }
    assertThat(events).containsExactly("start", "stop");
  }
}
