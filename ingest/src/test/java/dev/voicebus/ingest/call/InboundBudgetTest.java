package dev.voicebus.ingest.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.call.InboundBudget.Pause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboundBudgetTest {

  private static final long MS = 1_000_000L;

  @Test
  void aRealTimeSenderNeverPauses() {
    var budget = new InboundBudget(1.0, Duration.ofSeconds(2), 2000, 0);
    for (long t = 0; t < 60_000; t += 20) {
      budget.spend(20 * MS, t * MS);
      assertThat(budget.pause(1, t * MS)).isEqualTo(Pause.NONE);
    }
  }

  @Test
  void aFastSenderGetsItsBurstThenPausesUntilRealTimeCatchesUp() {
    var budget = new InboundBudget(1.0, Duration.ofSeconds(2), 2000, 0);
    budget.spend(2000 * MS, 0);
    assertThat(budget.pause(0, 0).needed()).isFalse();

    budget.spend(5000 * MS, 0);
    Pause pause = budget.pause(0, 0);
    assertThat(pause.cause()).isEqualTo(Pause.Cause.RATE);
    assertThat(pause.nanos()).isEqualTo(5000 * MS);
    assertThat(budget.pause(0, 4000 * MS).nanos()).isEqualTo(1000 * MS);
    assertThat(budget.pause(0, 5000 * MS).needed()).isFalse();
  }

  @Test
  void aHigherRateRefillsFasterButTheBurstStaysBounded() {
    var upload = new InboundBudget(20.0, Duration.ofSeconds(2), 2000, 0);
    upload.spend(12_000 * MS, 0);
    assertThat(upload.pause(0, 0).nanos()).isEqualTo(500 * MS);

    // A long silence does not save up more than the burst.
    var call = new InboundBudget(1.0, Duration.ofSeconds(2), 2000, 0);
    call.spend(3000 * MS, 60_000 * MS);
    assertThat(call.pause(0, 60_000 * MS).nanos()).isEqualTo(1000 * MS);
  }

  @Test
  void aBacklogAboveTheShareHoldsReadingUntilItFallsBelowAQuarter() {
    var budget = new InboundBudget(1.0, Duration.ofSeconds(2), 2000, 0);
    assertThat(budget.pause(2000, 0).needed()).isFalse();
    Pause held = budget.pause(2001, 0);
    assertThat(held.cause()).isEqualTo(Pause.Cause.BACKLOG);
    assertThat(held.nanos()).isEqualTo(InboundBudget.BACKLOG_RECHECK_NANOS);
    assertThat(budget.pause(1000, 0).cause()).isEqualTo(Pause.Cause.BACKLOG);
    assertThat(budget.pause(499, 0)).isEqualTo(Pause.NONE);
    assertThat(budget.pause(1000, 0)).isEqualTo(Pause.NONE);
  }
}
