package dev.voicebus.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.UsageGranularity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageWindowsTest {

  static {
    // Avro builds generated classes only from packages a serde has vouched for.
    dev.voicebus.analytics.TestAvro.trust();
  }

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  @Test
  void addsDeltasToTheirHourAndDay() {
    var first =
        UsageDelta.newBuilder()
            .setTenantId("acme")
            .setAt(Instant.parse("2026-11-24T10:15:00Z"))
            .setCalls(1)
            .setTotalTokens(300)
            .setCostUsd(0.5)
            .setTurnLatenciesMs(List.of(400L, 600L))
            .build();
    var second = UsageDelta.newBuilder(first).setCalls(0).setToolCalls(2).setToolErrors(1).build();

    TenantUsage hour =
        UsageWindows.add(
            UsageWindows.add(null, UsageGranularity.HOUR, first, NOW),
            UsageGranularity.HOUR,
            second,
            NOW);

    assertThat(hour.getWindowStart()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(hour.getWindowEnd()).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
    assertThat(hour.getCalls()).isEqualTo(1);
    assertThat(hour.getUsage().getTotalTokens()).isEqualTo(600);
    assertThat(hour.getCostUsd()).isEqualTo(1.0);
    assertThat(hour.getToolCalls()).isEqualTo(2);
    assertThat(hour.getToolErrors()).isEqualTo(1);
    assertThat(hour.getTurnLatencyCount()).isEqualTo(4);
    assertThat(hour.getTurnLatencyP50Ms()).isBetween(400L, 600L);
    assertThat(UsageWindows.topicKey(hour)).isEqualTo("acme|HOUR|2026-11-24T10:00:00Z");
    assertThat(UsageWindows.windowStart(first.getAt(), UsageGranularity.DAY))
        .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
  }

  @Test
  void storeKeysOfATenantSortByTime() {
    String early =
        UsageWindows.storeKey("acme", UsageGranularity.HOUR, Instant.parse("2026-01-01T09:00:00Z"));
    String late =
        UsageWindows.storeKey("acme", UsageGranularity.HOUR, Instant.parse("2026-11-01T10:00:00Z"));
    String other =
        UsageWindows.storeKey(
            "acme2", UsageGranularity.HOUR, Instant.parse("2026-01-01T09:00:00Z"));

    assertThat(early).isLessThan(late);
    assertThat(late).isLessThan(other);
  }
}
