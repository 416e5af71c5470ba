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
  void theOpenAiWebhookIsOffByDefaultAndNeedsRoutesAndAKeyWhenOn() {
    String secret = dev.voicebus.realtime.webhook.WebhookSecret.generate().reveal();
    assertThat(IngestConfig.from(ConfigSource.of(Map.of())).sip().webhook()).isFalse();
    assertThatThrownBy(
            () ->
                IngestConfig.from(ConfigSource.of(Map.of("ingest.openai.webhook-secret", secret))))
        .hasMessageContaining("ingest.sip.routes")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.sip.routes", "+1555=support"))))
        .hasMessageContaining("ingest.openai.webhook-secret");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(
                        Map.of(
                            "ingest.openai.webhook-secret",
                            secret,
                            "ingest.sip.routes",
                            "+1555=support"))))
        .hasMessageContaining("ingest.openai.api-key");

    var sip =
        IngestConfig.from(
                ConfigSource.of(
                    Map.of(
                        "ingest.openai.webhook-secret", secret,
                        "ingest.openai.api-key", "sk-project-key-123",
                        "ingest.openai.api-url", "http://127.0.0.1:8765/v1",
                        "ingest.sip.routes", "+1555=acme/support")))
            .sip();
    assertThat(sip.webhook()).isTrue();
    assertThat(sip.apiBase()).hasToString("ws://127.0.0.1:8765/v1");
    assertThat(sip.routes().route("+1555", "").orElseThrow().tenant()).isEqualTo("acme");
    assertThat(sip.toString()).doesNotContain(secret).doesNotContain("sk-project-key-123");
  }

  @Test
  void refusesABadWebhookSecretApiUrlOrAuthNamingTheKey() {
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.openai.webhook-secret", "secret-in-clear"))))
        .hasMessageContaining("ingest.openai.webhook-secret is invalid")
        .hasMessageNotContaining("secret-in-clear");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.openai.api-url", "ftp://api.openai.com/v1"))))
        .hasMessageContaining("ingest.openai.api-url");
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.of(Map.of("ingest.openai.auth", "basic"))))
        .hasMessageContaining("ingest.openai.auth='basic'");
    assertThat(IngestConfig.from(ConfigSource.of(Map.of())).sip().apiBase())
        .hasToString("wss://api.openai.com/v1");
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
    var account = twilio.signedBy(url, Map.of(), signed).orElseThrow();
    assertThat(account.accountSid()).contains("ACglobex");
    assertThat(account.grant().tenant()).isEqualTo("globex");
    assertThat(twilio.signedBy(url, Map.of(), TwilioSignature.sign("other", url, Map.of())))
        .isEmpty();
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

  @Test
  void hasTwilioCallControlDefaults() {
    var telephony = IngestConfig.from(ConfigSource.of(Map.of())).telephony();
    assertThat(telephony.apiBaseUrl()).hasToString("https://api.twilio.com");
    assertThat(telephony.apiTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(telephony.restHangup()).isFalse();
    assertThat(telephony.voiceWebhook()).isFalse();
    assertThat(telephony.streamTokenTtl()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void sendsTwilioCredentialsOnlyOverHttpsOrToALoopbackStandIn() {
    assertThat(
            IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.twilio.api-base-url", "http://127.0.0.1:9999")))
                .telephony()
                .apiBaseUrl())
        .hasToString("http://127.0.0.1:9999");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(
                        Map.of("ingest.twilio.api-base-url", "http://api.twilio.example.com"))))
        .hasMessageStartingWith(
            "ingest.twilio.api-base-url='http://api.twilio.example.com' is invalid: use https://");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(
                        Map.of("ingest.twilio.api-base-url", "https://api.twilio.com/2010-04-01"))))
        .hasMessageContaining("no path");
    assertThatThrownBy(
            () ->
                IngestConfig.from(ConfigSource.of(Map.of("ingest.twilio.stream-token-ttl", "1h"))))
        .hasMessageContaining("ingest.twilio.stream-token-ttl");
  }

  @Test
  void acceptsAPublicUrlOfEitherSecureSchemeWithoutAPath() {
    for (String url : new String[] {"https://voice.example.com", "wss://voice.example.com:8443/"}) {
      assertThat(
              IngestConfig.from(ConfigSource.of(Map.of("ingest.public-url", url)))
                  .listen()
                  .publicUrl())
          .isPresent();
    }
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.public-url", "https://h.example/twilio"))))
        .hasMessageContaining("ingest.public-url='https://h.example/twilio' is invalid");
    assertThatThrownBy(
            () ->
                IngestConfig.from(ConfigSource.of(Map.of("ingest.public-url", "ftp://h.example"))))
        .hasMessageContaining("use https://host[:port] or wss://host[:port]");
  }

  @Test
  void routesNumbersOnlyToTenantsAndProfilesATwilioAccountServes(@TempDir Path dir)
      throws Exception {
    Path accounts = dir.resolve("accounts.json");
    Files.writeString(
        accounts,
        "{\"accounts\":[{\"accountSid\":\"ACacme\",\"authToken\":\"acme-auth\","
            + "\"tenant\":\"acme\",\"profiles\":[\"support\"]}]}");
    var config =
        IngestConfig.from(
            ConfigSource.of(
                Map.of(
                    "ingest.twilio.accounts-file",
                    accounts.toString(),
                    "ingest.twilio.numbers",
                    "+15551230000=acme/support")));
    assertThat(config.telephony().voiceWebhook()).isTrue();

    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(
                        Map.of(
                            "ingest.twilio.accounts-file",
                            accounts.toString(),
                            "ingest.twilio.numbers",
                            "+15551230000=acme/sales"))))
        .hasMessageContaining("ingest.twilio.numbers is invalid at '+15551230000'")
        .hasMessageContaining("no Twilio account of tenant acme allows profile sales");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.of(Map.of("ingest.twilio.numbers", "+15551230000=support"))))
        .hasMessageContaining("no Twilio account of tenant default");
  }
}
