package dev.voicebus.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of the local stack: every service's admin port answers probes and serves
 * Prometheus metrics with the service's own, JVM and Kafka client meters. The metric family names
 * each service exports are written to {@code target/metrics-<service>.txt}.
 */
class LocalStackOperabilityIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyServiceAnswersProbesAndExportsItsMetersInPrometheusFormat() throws Exception {
    int toolsPort;
    try (var socket = new java.net.ServerSocket(0)) {
      toolsPort = socket.getLocalPort();
    }
    var options =
        new LocalOptions(
            Optional.empty(), 0, 0, Map.of("tool-executor.http-port", String.valueOf(toolsPort)));
    try (var stack = LocalStack.start(options, line -> {})) {
      int worker = stack.workerAdminPort();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(get(worker, "/readyz").statusCode()).isEqualTo(200));
      assertThat(get(worker, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(stack.adminPort(), "/readyz").statusCode()).isEqualTo(200);

      String workerMetrics = get(worker, "/metrics").body();
      assertThat(workerMetrics)
          .contains("jvm_memory_used_bytes{")
          .contains("process_cpu_usage{")
          .contains("kafka_stream_thread_")
          .contains("kafka_consumer_");
      String ingestMetrics = get(stack.adminPort(), "/metrics").body();
      assertThat(ingestMetrics)
          .contains("voicebus_ingest_calls_active{service=\"voicebus-ingest\"}")
          .contains(
              "voicebus_ingest_publish_latency_seconds_bucket{service=\"voicebus-ingest\",le=\"0.015\"}")
          .contains("jvm_gc_")
          .contains("kafka_producer_");
      int tools = stack.toolExecutorAdminPort().orElseThrow();
      assertThat(get(tools, "/readyz").statusCode()).isEqualTo(200);
      String toolMetrics = get(tools, "/metrics").body();
      assertThat(toolMetrics).contains("jvm_threads_live_threads{").contains("kafka_consumer_");

      writeFamilies("worker", workerMetrics);
      writeFamilies("ingest", ingestMetrics);
      writeFamilies("tool-executor", toolMetrics);
    }
  }

  private static void writeFamilies(String service, String scrape) throws Exception {
    var families = new TreeSet<String>();
    scrape
        .lines()
        .filter(l -> l.startsWith("# TYPE "))
        .forEach(l -> families.add(l.substring("# TYPE ".length())));
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.write(target.resolve("metrics-" + service + ".txt"), families);
  }
}
