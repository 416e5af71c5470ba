package dev.voicebus.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaybackTrackerTest {

  private final PlaybackTracker playback = new PlaybackTracker();

  @Test
  void neverTruncatesBeforeTheFirstAudio() {
    assertThat(playback.truncationPoint()).isEmpty();
    assertThat(playback.isPlaying()).isFalse();
  }

  @Test
  void truncatesAtWhatWasHeard() {
    playback.onAudioSent("item_1", 200);
    playback.onAudioSent("item_1", 200);
    playback.onPlayed("item_1", 240);

    assertThat(playback.isPlaying()).isTrue();
    assertThat(playback.truncationPoint()).hasValue(240);
  }

  @Test
  void clampsAReportedPositionToTheAudioSent() {
    playback.onAudioSent("item_1", 300);
    playback.onPlayed("item_1", 5000);

    assertThat(playback.truncationPoint()).hasValue(300);
    assertThat(playback.isPlaying()).isFalse();
  }

  @Test
  void truncatesAtZeroWhenAudioWasSentButNothingHeardYet() {
    playback.onAudioSent("item_1", 300);

    assertThat(playback.truncationPoint()).hasValue(0);
  }

  @Test
  void ignoresMarksOfAnOlderItemAndStartsOverForANewOne() {
    playback.onAudioSent("item_1", 300);
    playback.onAudioSent("item_2", 100);
    playback.onPlayed("item_1", 300);

    assertThat(playback.itemId()).isEqualTo("item_2");
    assertThat(playback.truncationPoint()).hasValue(0);
  }
}
