package dev.voicebus.analytics.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsByUpperBound() {
    assertThat(LatencyHistogram.bucket(0)).isEqualTo("25");
    assertThat(LatencyHistogram.bucket(25)).isEqualTo("25");
    assertThat(LatencyHistogram.bucket(26)).isEqualTo("50");
    assertThat(LatencyHistogram.bucket(2001)).isEqualTo("2250");
    assertThat(LatencyHistogram.bucket(10_001)).isEqualTo("inf");
  }

  @Test
  void readsPercentilesBackWithinABucketsWidth() {
    Map<String, Long> buckets = new HashMap<>();
    for (long ms = 1; ms <= 1000; ms++) {
      LatencyHistogram.record(buckets, ms);
    }

    assertThat(LatencyHistogram.quantile(buckets, 0.5)).isBetween(475L, 525L);
    assertThat(LatencyHistogram.quantile(buckets, 0.95)).isBetween(925L, 975L);
    assertThat(LatencyHistogram.quantile(Map.of(), 0.5)).isNull();
  }
}
