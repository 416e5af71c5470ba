package dev.voicebus.recorder.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerPlacementTest {

  @Test
  void framesFollowOneAnotherThroughJitterAndDuplicatesAreDropped() {
    var placement = new CallerPlacement(480);
    assertThat(placement.place(0, 100, 160)).hasValue(100);
    assertThat(placement.place(1, 300, 160)).as("captured 40 ms late: jitter").hasValue(260);
    assertThat(placement.place(2, 350, 160)).as("bunched").hasValue(420);
    assertThat(placement.place(2, 350, 160)).isEmpty();
    assertThat(placement.place(1, 260, 160)).isEmpty();
    assertThat(placement.end()).isEqualTo(580);
  }

  @Test
  void aGapLongerThanTheToleranceIsSilence() {
    var placement = new CallerPlacement(480);
    placement.place(0, 0, 160);
    assertThat(placement.place(1, 8160, 160)).hasValue(8160);
    assertThat(placement.lastSeq()).isEqualTo(1);
  }
}
