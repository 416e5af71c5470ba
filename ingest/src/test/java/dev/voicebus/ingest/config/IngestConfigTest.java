package dev.voicebus.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void hasSafeDefaults() {
    var config = IngestConfig.from(ConfigSource.of(Map.of()));
    assertThat(config.audio().chunkMs()).isEqualTo(20);
    assertThat(config.audio().replyPartition()).isZero();
    assertThat(config.listen().port()).isEqualTo(8080);
    assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.auth().twilioAuthToken()).isEmpty();
  }

  @Test
  void failsNamingTheKeyForInvalidValues() {
    assertThatThrownBy(() -> IngestConfig.from(ConfigSource.of(Map.of("ingest.chunk-ms", "30"))))
        .hasMessageContaining("ingest.chunk-ms=30");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.tls.cert", "/nope.pem"))))
        .hasMessageContaining("ingest.tls.key");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.idle-timeout", "soon"))))
        .hasMessageContaining("ingest.idle-timeout");
  }

  @Test
  void keepsTokensOutOfToString() {
    var config =
        IngestConfig.from(
            ConfigSource.of(
                Map.of("ingest.api-token", "tok-abcdef", "ingest.twilio.auth-token", "auth-xyz")));
    assertThat(config.toString()).doesNotContain("tok-abcdef").doesNotContain("auth-xyz");
  }
}
