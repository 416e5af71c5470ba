package dev.voicebus.worker.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voicebus.realtime.event.Usage;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  @Test
  void chargesCachedInputAtTheCachedRateAndEachModalityAtItsOwn() {
    var usage =
        new Usage(
            3000,
            2000,
            1000,
            new Usage.InputTokenDetails(
                500, 1000, 0, 1000, new Usage.CachedTokenDetails(200, 0, 300)),
            new Usage.OutputTokenDetails(100, 900));

    double cost = PriceTable.GPT_REALTIME.cost(usage);

    double expected =
        (800 * 4.00 + 200 * 0.40 + 700 * 32.00 + 300 * 0.40 + 100 * 16.00 + 900 * 64.00)
            / 1_000_000;
    assertThat(cost).isCloseTo(expected, within(1e-12));
  }
}
