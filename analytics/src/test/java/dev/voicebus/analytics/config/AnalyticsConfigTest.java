package dev.voicebus.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

  private static AnalyticsConfig read(Map<String, String> values) {
    return AnalyticsConfig.from(ConfigSource.of(values));
  }

  @Test
  void hasTheDocumentedDefaults() {
    AnalyticsConfig config = read(Map.of());

    assertThat(config.listen().port()).isEqualTo(8084);
    assertThat(config.listen().adminPort()).isEqualTo(8085);
    assertThat(config.streams().store()).isEqualTo(AnalyticsConfig.StoreType.IN_MEMORY);
    assertThat(config.streams().guarantee())
        .isEqualTo(AnalyticsConfig.ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(config.timing().publishInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.limits()).isEqualTo(DocumentLimits.DEFAULTS);
    assertThat(config.access().enabled()).isFalse();
    assertThat(config.consoleStreamUrl()).isEmpty();
  }

  @Test
  void refusesBadValuesNamingTheKeyTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> read(Map.of("analytics.store", "disk")))
        .hasMessage("analytics.store='disk' is invalid: use one of in-memory, rocksdb");
    assertThatThrownBy(() -> read(Map.of("analytics.calls-json.format", "xml")))
        .hasMessage("analytics.calls-json.format='xml' is invalid: use one of plain, connect");
    assertThatThrownBy(() -> read(Map.of("analytics.port", "99999")))
        .hasMessageContaining("analytics.port='99999' is invalid");
    assertThatThrownBy(() -> read(Map.of("analytics.publish-interval", "0s")))
        .hasMessageContaining(
            "analytics.publish-interval='0s' is invalid: use a positive duration");
    assertThatThrownBy(() -> read(Map.of("analytics.max-turns", "5")))
        .hasMessageContaining("analytics.max-turns='5' is invalid: use a whole number from 10");
    assertThatThrownBy(
            () -> read(Map.of("analytics.console.stream-url", "http://x:8080/v1/stream")))
        .hasMessageContaining("analytics.console.stream-url='http://x:8080/v1/stream' is invalid");
    assertThatThrownBy(
            () -> read(Map.of("analytics.http-threads", "8", "analytics.max-event-streams", "8")))
        .hasMessageContaining("analytics.max-event-streams='8' is invalid");
  }

  @Test
  void neverShowsATokenInMessagesOrToString() {
    assertThatThrownBy(() -> read(Map.of("analytics.admin-token", "short-secret")))
        .hasMessage("analytics.admin-token is invalid: use at least 16 random characters")
        .message()
        .doesNotContain("short-secret");
    AnalyticsConfig config =
        read(
            Map.of(
                "analytics.api-token",
                "tenant-token-0123456789",
                "analytics.admin-token",
                "admin-token-0123456789"));
    assertThat(config.toString()).doesNotContain("tenant-token").doesNotContain("admin-token-0");
    assertThat(config.access().adminToken()).isPresent();
    assertThat(config.access().tenantTokens().tenants()).containsExactly("default");
  }
}
