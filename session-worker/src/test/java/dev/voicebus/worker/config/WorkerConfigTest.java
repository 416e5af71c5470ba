package dev.voicebus.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  private static WorkerConfig read(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("worker.openai-api-key", "sk-test"));
    all.putAll(settings);
    return WorkerConfig.from(ConfigSource.of(all));
  }

  @Test
  void adminPortDefaultsTo8082AndIsValidated() {
    assertThat(read(Map.of()).adminPort()).isEqualTo(8082);
    assertThat(read(Map.of("worker.admin-port", "9100")).adminPort()).isEqualTo(9100);
    assertThatThrownBy(() -> read(Map.of("worker.admin-port", "70000")))
        .hasMessageContaining("worker.admin-port='70000' is invalid")
        .hasMessageContaining("0 to 65535");
  }

  @Test
  void bearerIsTheDefaultRealtimeAuth() {
    WorkerConfig config = read(Map.of());
    assertThat(config.realtimeAuth()).isEqualTo(ApiKey.Scheme.BEARER);
    assertThat(config.realtimeClientConfig().apiKey().scheme()).isEqualTo(ApiKey.Scheme.BEARER);
    assertThat(config.realtimeClientConfig().baseUri()).isEqualTo(WorkerConfig.OPENAI);
  }

  @Test
  void azureEndpointAsThePortalShowsItWithAnApiKeyHeader() {
    WorkerConfig config =
        read(
            Map.of(
                "worker.realtime-url", "https://contoso.openai.azure.com/openai/v1",
                "worker.realtime-auth", "api-key"));
    assertThat(config.realtimeUri())
        .isEqualTo(URI.create("wss://contoso.openai.azure.com/openai/v1"));
    assertThat(config.realtimeClientConfig().apiKey().scheme()).isEqualTo(ApiKey.Scheme.API_KEY);
    assertThat(config.realtimeClientConfig().baseUri()).isEqualTo(config.realtimeUri());
    assertThat(config.toString()).contains("API_KEY").doesNotContain("sk-test");
  }

  @Test
  void unknownRealtimeAuthFailsNamingTheValidValues() {
    assertThatThrownBy(() -> read(Map.of("worker.realtime-auth", "basic")))
        .hasMessageContaining("worker.realtime-auth='basic' is invalid")
        .hasMessageContaining("bearer or api-key");
  }

  @Test
  void realtimeUrlWithAQueryOrAnotherSchemeIsRefused() {
    assertThatThrownBy(() -> read(Map.of("worker.realtime-url", "wss://h/v1?api-version=1")))
        .hasMessageContaining("worker.realtime-url");
    assertThatThrownBy(() -> read(Map.of("worker.realtime-url", "ftp://h/v1")))
        .hasMessageContaining("worker.realtime-url='ftp://h/v1' is invalid");
  }
}
