package dev.voicebus.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void readsAnySettingFromTheFileNamedByItsFileVariant(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("api-token");
    Files.writeString(token, "  tok-from-file\n");
    Path jaas = dir.resolve("jaas");
    Files.writeString(jaas, "PlainLoginModule required password=\"pw\";\n");
    var config =
        ConfigSource.of(
            Map.of("worker.openai-api-key.file", token.toString()),
            Map.of(
                "VOICEBUS_INGEST_API_TOKEN_FILE", token.toString(),
                "VOICEBUS_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString()));

    assertThat(config.get("ingest.api-token")).contains("tok-from-file");
    assertThat(config.get("worker.openai-api-key")).contains("tok-from-file");
    assertThat(config.withPrefix("kafka."))
        .containsEntry("sasl.jaas.config", "PlainLoginModule required password=\"pw\";")
        .doesNotContainKey("sasl.jaas.config.file");
    assertThat(config.get("ingest.missing")).isEmpty();
  }

  @Test
  void failsNamingKeyAndPathButNeverTheContentOfASecretFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope");
    var unreadable =
        ConfigSource.of(Map.of(), Map.of("VOICEBUS_INGEST_API_TOKEN_FILE", missing.toString()));
    assertThatThrownBy(() -> unreadable.get("ingest.api-token"))
        .hasMessage(
            "ingest.api-token.file='"
                + missing
                + "' is invalid: cannot read the file (NoSuchFileException)");

    Path empty = dir.resolve("empty");
    Files.writeString(empty, " \n");
    assertThatThrownBy(
            () -> ConfigSource.of(Map.of("a.secret.file", empty.toString())).get("a.secret"))
        .hasMessage("a.secret.file='" + empty + "' is invalid: the file is empty");

    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cr3t-value");
    var both = ConfigSource.of(Map.of("a.secret", "inline", "a.secret.file", secret.toString()));
    assertThatThrownBy(() -> both.get("a.secret"))
        .hasMessage("set a.secret or a.secret.file (VOICEBUS_A_SECRET_FILE), not both")
        .message()
        .doesNotContain("s3cr3t-value");
    assertThatThrownBy(() -> ConfigSource.of(Map.of()).requireString("a.secret"))
        .hasMessageContaining("VOICEBUS_A_SECRET_FILE");
  }

  @Test
  void parsesDecimalsWithinBounds() {
    var config = ConfigSource.of(Map.of("a.rate", "1.5", "a.bad", "fast", "a.low", "0.5"));
    assertThat(config.decimal("a.rate", 1, 1, 100)).isEqualTo(1.5);
    assertThat(config.decimal("a.missing", 2, 1, 100)).isEqualTo(2);
    assertThatThrownBy(() -> config.decimal("a.bad", 1, 1, 100))
        .hasMessage("a.bad='fast' is invalid: use a number from 1 to 100");
    assertThatThrownBy(() -> config.decimal("a.low", 1, 1, 100))
        .hasMessageContaining("a.low='0.5'");
  }
}
