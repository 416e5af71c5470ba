package dev.voicebus.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TranscriptsTest {

  @Test
  void cutsAtTheHeardFractionOnAWordBoundary() {
    String text = "one two three four"; // 18 characters
    assertThat(Transcripts.heardPart(text, 500, 1000)).isEqualTo("one two");
    assertThat(Transcripts.heardPart(text, 1000, 1000)).isEqualTo(text);
    assertThat(Transcripts.heardPart(text, 0, 1000)).isEmpty();
    assertThat(Transcripts.heardPart(text, 100, 1000)).isEmpty();
  }
}
