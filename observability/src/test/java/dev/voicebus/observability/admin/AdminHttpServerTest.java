package dev.voicebus.observability.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminHttpServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Optional<String>> readiness =
      new AtomicReference<>(Optional.of("starting"));
  private AdminHttpServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    registry.close();
  }

  private AdminHttpServer start() {
    return start(readiness::get);
  }

  private AdminHttpServer start(HealthCheck readinessCheck) {
    server =
        new AdminHttpServer(
            new AdminEndpoints(
                "test.admin-port", "127.0.0.1", 0, registry, HealthCheck.ALWAYS, readinessCheck));
    return server;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void readinessFollowsTheCheckWithTheReasonWhileNotReady() throws Exception {
    start();
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("starting\n");

    readiness.set(Optional.empty());
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aCheckThatThrowsAnswers503InsteadOfDroppingTheConnection() throws Exception {
    start(
        () -> {
          throw new IllegalStateException("streams not built yet");
        });
    HttpResponse<String> response = get("/readyz");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("check failed: ").contains("streams not built yet");
  }

  @Test
  void metricsAreThePrometheusTextOfTheRegistry() throws Exception {
    registry.counter("voicebus.test.things").increment(3);
    start();
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue(AdminHttpServer.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("voicebus_test_things_total 3.0");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    start();
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aPortInUseFailsNamingTheSetting() {
    start();
    assertThatThrownBy(
            () ->
                new AdminHttpServer(
                    new AdminEndpoints(
                        "test.admin-port",
                        "127.0.0.1",
                        server.port(),
                        registry,
                        HealthCheck.ALWAYS,
                        HealthCheck.ALWAYS)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("test.admin-port=" + server.port());
  }
}
