package dev.voicebus.worker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.client.ConnectionStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class WorkerAdminServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(WorkerAdminServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesReadinessFromTheSuppliedStateAndRealtimeStatusAndTheRegistry() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.gauge("voicebus.worker.test.gauge", 7);
    var state = new AtomicReference<>(State.REBALANCING);
    var realtime = new AtomicReference<>(ConnectionStatus.NONE);
    try (var server = new WorkerAdminServer("127.0.0.1", 0, registry, state::get, realtime::get)) {
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

      state.set(State.RUNNING);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

      realtime.set(
          new ConnectionStatus(
              Optional.empty(), Optional.of(Instant.now()), Optional.of("connection refused")));
      HttpResponse<String> refused = get(server, "/readyz");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("connection refused");

      state.set(State.ERROR);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/metrics").body()).contains("voicebus_worker_test_gauge 7.0");
    } finally {
      registry.close();
    }
  }
}
