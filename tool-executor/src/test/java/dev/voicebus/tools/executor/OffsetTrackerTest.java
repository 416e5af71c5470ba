package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void commitsOnlyTheContiguousFinishedPrefix() {
    var tracker = new OffsetTracker();
    tracker.started(10);
    tracker.started(11);
    tracker.started(12);

    tracker.finished(11);
    tracker.finished(12);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(10));

    tracker.finished(10);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(13));
  }

  @Test
  void offersNothingNewAfterACommit() {
    var tracker = new OffsetTracker();
    tracker.started(0);
    tracker.finished(0);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(1));

    tracker.committed(1);
    assertThat(tracker.committable()).isEmpty();

    tracker.started(1);
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void aPendingFirstRecordHoldsTheOffset() {
    var tracker = new OffsetTracker();
    tracker.started(0);
    tracker.started(1);
    tracker.finished(1);
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.pendingCount()).isEqualTo(1);
  }
}
