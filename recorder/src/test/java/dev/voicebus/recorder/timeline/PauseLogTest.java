package dev.voicebus.recorder.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PauseLogTest {

  @Test
  void pausesAndResumesMakeSpansWhateverOrderTheyArriveIn() {
    var log = new PauseLog();
    log.resume(5000);
    log.pause(4000);
    log.pause(9000);
    assertThat(log.spans(12_000)).containsExactly(new Span(4000, 5000), new Span(9000, 12_000));
    assertThat(log.pausedSamples(12_000)).isEqualTo(4000);
    assertThat(log.openSince()).isEqualTo(9000);
    assertThat(log.isPaused(4500)).isTrue();
    assertThat(log.isPaused(6000)).isFalse();
  }

  @Test
  void aSecondPauseWhilePausedAndAResumeWithoutPauseChangeNothing() {
    var log = new PauseLog();
    log.resume(100);
    log.pause(1000);
    log.pause(2000);
    log.resume(3000);
    assertThat(log.spans(10_000)).containsExactly(new Span(1000, 3000));
    assertThat(log.openSince()).isEqualTo(-1);
  }
}
