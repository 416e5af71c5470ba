package dev.voicebus.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

  @Test
  void parsesTypedValuesAndNamesTheKeyWhenInvalid() {
    var config =
        ConfigSource.of(
            Map.of("a.port", "8080", "a.timeout", "250ms", "a.flag", "yes", "a.bad", "eighty"));

    assertThat(config.integer("a.port", 1, 1, 65535)).isEqualTo(8080);
    assertThat(config.duration("a.timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(config.duration("a.missing", Duration.ofSeconds(3)))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(config.bool("a.flag", false)).isTrue();
    assertThatThrownBy(() -> config.integer("a.bad", 1, 1, 65535))
        .hasMessage("a.bad='eighty' is invalid: use a whole number from 1 to 65535");
    assertThatThrownBy(() -> config.duration("a.port", Duration.ZERO))
        .hasMessageContaining("a.port='8080'");
  }

  @Test
  void passesKafkaClientSettingsThroughAndHidesThemFromToString() {
    var config =
        ConfigSource.of(
            Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.sasl.jaas.config", "secret-password",
                "topics.prefix", "prod."));

    var kafka = KafkaSettings.from(config);

    assertThat(kafka.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(kafka.clientProperties()).containsEntry("sasl.jaas.config", "secret-password");
    assertThat(kafka.topics().prefix()).isEqualTo("prod.");
    assertThat(kafka.toString()).doesNotContain("secret-password");
  }

  @Test
  void environmentOverridesTheFileAndOverridesWinOverBoth() {
    var config =
        ConfigSource.of(
            Map.of("ingest.max-calls", "10", "ingest.port", "8080"),
            Map.of("VOICEBUS_INGEST_MAX_CALLS", "500", "VOICEBUS_KAFKA_SASL_MECHANISM", "PLAIN"));

    assertThat(config.integer("ingest.max-calls", 1, 1, 100_000)).isEqualTo(500);
    assertThat(config.integer("ingest.port", 1, 1, 65535)).isEqualTo(8080);
    assertThat(config.withPrefix("kafka.")).containsEntry("sasl.mechanism", "PLAIN");
    assertThat(config.with(Map.of("ingest.max-calls", "7")).integer("ingest.max-calls", 1, 1, 100))
        .isEqualTo(7);
  }
}
