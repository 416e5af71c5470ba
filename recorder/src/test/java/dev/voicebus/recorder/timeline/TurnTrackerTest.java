package dev.voicebus.recorder.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TurnTrackerTest {

  @Test
  void loudBlocksCloseTogetherFormOneTurnAndShortBlipsAreDropped() {
    var tracker = new TurnTracker(500, 400, 300);
    tracker.block(0, 160, 2000);
    tracker.block(160, 160, 2000);
    tracker.block(320, 160, 10);
    tracker.block(480, 160, 3000);
    tracker.block(5000, 160, 3000);
    assertThat(tracker.finish()).containsExactly(new Span(0, 640));
  }

  @Test
  void rmsOfLittleEndianSamples() {
    byte[] pcm = {(byte) 0xE8, 0x03, 0x18, (byte) 0xFC};
    assertThat(TurnTracker.rms(pcm, 0, 2)).isEqualTo(1000.0);
  }
}
