package dev.voicebus.observability.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessMetersTest {

  @Test
  void exportsJvmAndProcessMetersUnderPrometheusNames() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (var meters = ProcessMeters.bindTo(registry)) {
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_threads_live_threads ")
          .contains("jvm_classes_loaded_classes ")
          .contains("process_cpu_usage ")
          .contains("system_cpu_count ")
          .contains("process_uptime_seconds ")
          .contains("jvm_info{");
    } finally {
      registry.close();
    }
  }

  @Test
  void latencyTimersExportBucketsThatAggregateAcrossInstances() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      Timer timer = LatencyTimers.builder("voicebus.test.latency").register(registry);
      timer.record(Duration.ofMillis(12));
      timer.record(Duration.ofMillis(40));
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("voicebus_test_latency_seconds_bucket{le=\"0.01\"} 0")
          .contains("voicebus_test_latency_seconds_bucket{le=\"0.015\"} 1")
          .contains("voicebus_test_latency_seconds_bucket{le=\"0.05\"} 2")
          .contains("voicebus_test_latency_seconds_bucket{le=\"+Inf\"} 2")
          .contains("voicebus_test_latency_seconds_count 2")
          .doesNotContain("quantile=");
    } finally {
      registry.close();
    }
  }
}
