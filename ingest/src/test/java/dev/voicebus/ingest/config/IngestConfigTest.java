package dev.voicebus.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.auth.TenantGrant;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.telephony.twilio.TwilioSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {

  @Test
  void hasSafeDefaults() {
    var config = IngestConfig.from(ConfigSource.of(Map.of()));
    assertThat(config.audio().chunkMs()).isEqualTo(20);
    assertThat(config.audio().replyPartition()).isZero();
    assertThat(config.listen().port()).isEqualTo(8080);
    assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.auth().twilio().isEmpty()).isTrue();
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

  @Test
  void hasSafeEdgeDefaults() {
    var edge = IngestConfig.from(ConfigSource.of(Map.of())).edge();
    assertThat(edge.maxConnections()).isEqualTo(4000);
    assertThat(edge.maxConnectionsPerAddress()).isEqualTo(2000);
    assertThat(edge.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(edge.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(edge.maxAudioRate()).isEqualTo(1.0);
    assertThat(edge.uploadMaxAudioRate()).isEqualTo(20.0);
    assertThat(edge.audioBurst()).isEqualTo(Duration.ofSeconds(2));
    assertThat(edge.maxUploadBytes()).isEqualTo(128L * 1024 * 1024);
    assertThat(edge.maxPendingPerCall()).isEqualTo(2000);
  }

  @Test
  void failsNamingTheKeysOfEdgeLimitsThatContradictEachOther() {
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(
                        Map.of(
                            "ingest.max-connections", "100",
                            "ingest.max-connections-per-address", "200"))))
        .hasMessage(
            "ingest.max-connections-per-address=200 is invalid: use at most ingest.max-connections (100)");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.max-connections", "1000"))))
        .hasMessageStartingWith(
            "ingest.max-connections=1000 is invalid: use at least ingest.max-concurrent-calls (2000)");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.kafka.max-pending-per-call", "50000"))))
        .hasMessageStartingWith("ingest.kafka.max-pending-per-call=50000 is invalid: use at most");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.max-audio-rate", "0.5"))))
        .hasMessage("ingest.max-audio-rate='0.5' is invalid: use a number from 1 to 100");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.start-timeout", "10m"))))
        .hasMessageContaining("ingest.start-timeout");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.twilio.account-sid", "AC123"))))
        .hasMessageStartingWith(
            "ingest.twilio.account-sid is set without ingest.twilio.auth-token");
  }

  @Test
  void takesTenantsFromTheTokensFileAndTheSingleTokenShortcut(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(
        tokens,
        "{\"tokens\":[{\"token\":\"acme-token-0123456789\",\"tenant\":\"acme\","
            + "\"profiles\":[\"support\"],\"maxConcurrentCalls\":50}]}");
    var config =
        IngestConfig.from(
            ConfigSource.of(
                Map.of(
                    "ingest.tokens-file", tokens.toString(),
                    "ingest.api-token", "shared-token",
                    "ingest.default-tenant-id", "main")));

    var bearer = config.auth().bearer();
    assertThat(bearer.authenticate("acme-token-0123456789").orElseThrow())
        .isEqualTo(new TenantGrant("acme", java.util.List.of("support"), OptionalInt.of(50)));
    assertThat(bearer.authenticate("shared-token").orElseThrow())
        .isEqualTo(TenantGrant.anyProfile("main"));
    assertThat(config.toString()).doesNotContain("acme-token-0123456789", "shared-token");
  }

  @Test
  void mapsTwilioAccountsToTenantsByTheTokenThatSignedTheStream(@TempDir Path dir)
      throws Exception {
    Path accounts = dir.resolve("accounts.json");
    Files.writeString(
        accounts,
        "{\"accounts\":[{\"accountSid\":\"ACacme\",\"authToken\":\"acme-auth\",\"tenant\":\"acme\","
            + "\"profiles\":[\"*\"]},{\"accountSid\":\"ACglobex\",\"authToken\":\"globex-auth\","
            + "\"tenant\":\"globex\",\"profiles\":[\"sales\"],\"maxConcurrentCalls\":2}]}");
    var twilio =
        IngestConfig.from(
                ConfigSource.of(Map.of("ingest.twilio.accounts-file", accounts.toString())))
            .auth()
            .twilio();

    String url = "wss://voice.example.com/twilio/media";
    var signed = TwilioSignature.sign("globex-auth", url, Map.of());
    var account = twilio.signedBy(url, signed).orElseThrow();
    assertThat(account.accountSid()).contains("ACglobex");
    assertThat(account.grant().tenant()).isEqualTo("globex");
    assertThat(twilio.signedBy(url, TwilioSignature.sign("other", url, Map.of()))).isEmpty();
    assertThat(twilio.toString())
        .isEqualTo("TwilioAccounts[ACacme->acme, ACglobex->globex]")
        .doesNotContain("acme-auth");
  }

  @Test
  void readsSecretsFromFilesNamedByTheirFileVariant(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("api-token");
    Files.writeString(token, "from-a-file\n");
    var config =
        IngestConfig.from(
            ConfigSource.of(Map.of(), Map.of("VOICEBUS_INGEST_API_TOKEN_FILE", token.toString())));
    assertThat(config.auth().bearer().authenticate("from-a-file")).isPresent();
  }
}
