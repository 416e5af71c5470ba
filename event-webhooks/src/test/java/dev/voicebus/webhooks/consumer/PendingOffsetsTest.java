package dev.voicebus.webhooks.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PendingOffsetsTest {

  @Test
  void commitsOnlyUpToTheFirstRecordWithAnUnsettledDelivery() {
    var offsets = new PendingOffsets();
    offsets.started(0, 0);
    offsets.started(1, 2);
    offsets.started(2, 1);
    offsets.started(3, 0);
    assertThat(offsets.committable()).isEqualTo(OptionalLong.of(1));
    assertThat(offsets.deliveries()).isEqualTo(3);
    offsets.settled(2);
    offsets.settled(1);
    assertThat(offsets.committable())
        .as("record 1 still has a delivery")
        .isEqualTo(OptionalLong.of(1));
    offsets.settled(1);
    assertThat(offsets.committable()).isEqualTo(OptionalLong.of(4));
    offsets.committed(4);
    assertThat(offsets.committable()).isEmpty();
    assertThat(offsets.deliveries()).isZero();
  }

  @Test
  void ignoresSettlementsOfRecordsItDoesNotHold() {
    var offsets = new PendingOffsets();
    offsets.started(5, 1);
    offsets.settled(4);
    assertThat(offsets.deliveries()).isEqualTo(1);
    assertThat(offsets.committable()).isEqualTo(OptionalLong.of(5));
  }
}
