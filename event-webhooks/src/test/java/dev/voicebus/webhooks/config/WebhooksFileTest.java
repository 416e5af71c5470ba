package dev.voicebus.webhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.webhooks.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhooksFileTest {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String NEXT = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
  private static final WebhooksFile.Defaults DEFAULTS =
      new WebhooksFile.Defaults(Duration.ofSeconds(10), 4);

  @TempDir Path dir;

  private static List<Endpoint> yaml(String text) {
    return WebhooksFile.parse("hooks.yaml", text, false, DEFAULTS);
  }

  @Test
  void readsYamlWithRotatingSecretsAndDefaults() {
    List<Endpoint> endpoints =
        yaml(
            """
            endpoints:
              - id: crm
                tenant: acme
                url: https://crm.acme.example/hooks/voicebus
                secrets: [%s, %s]
                events: [call.started, call.ended]
                description: Acme CRM
              - id: audit
                tenant: globex
                url: http://127.0.0.1:9000/audit
                secret: %s
                events: ["*"]
                timeout: 2s
                maxConcurrency: 1
            """
                .formatted(SECRET, NEXT, SECRET));
    assertThat(endpoints).hasSize(2);
    Endpoint crm = endpoints.get(0);
    assertThat(crm.signer().secretCount()).isEqualTo(2);
    assertThat(crm.events())
        .containsExactlyInAnyOrder(EventType.CALL_STARTED, EventType.CALL_ENDED);
    assertThat(crm.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(crm.maxConcurrency()).isEqualTo(4);
    assertThat(crm.description()).contains("Acme CRM");
    assertThat(crm.toString()).doesNotContain(SECRET).doesNotContain(NEXT);
    Endpoint audit = endpoints.get(1);
    assertThat(audit.events()).containsExactlyInAnyOrder(EventType.values());
    assertThat(audit.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(audit.maxConcurrency()).isEqualTo(1);
  }

  @Test
  void readsJsonFilesThroughTheSettings() throws Exception {
    Path file = dir.resolve("hooks.json");
    Files.writeString(
        file,
        """
        {"endpoints": [{"id": "crm", "tenant": "acme", "url": "https://h.example/x",
                        "secret": "%s", "events": ["tool.failed"]}]}
        """
            .formatted(SECRET));
    var config =
        EventWebhooksConfig.from(
            ConfigSource.of(Map.of(EventWebhooksConfig.WEBHOOKS_FILE, file.toString())));
    assertThat(config.endpoints()).singleElement().extracting(Endpoint::id).isEqualTo("crm");
    assertThat(config.adminPort()).isEqualTo(8088);
    assertThat(config.delivery().retry().maxAttempts()).isEqualTo(8);
  }

  @Test
  void namesTheFileTheEntryAndTheFieldOfEachProblem() {
    String entry = "endpoints:\n  - {id: crm, tenant: acme, url: %s, secret: %s, events: [%s]}\n";
    assertThatThrownBy(() -> yaml(entry.formatted("https://h.example", SECRET, "call.strted")))
        .hasMessage(
            "hooks.yaml: endpoints[0] (id 'crm'): events: 'call.strted' is not an event type; use "
                + EventType.wireNames()
                + ", or *");
    assertThatThrownBy(() -> yaml(entry.formatted("ftp://h.example", SECRET, "call.ended")))
        .hasMessageStartingWith("hooks.yaml: endpoints[0] (id 'crm'): url: 'ftp://h.example'");
    assertThatThrownBy(
            () -> yaml(entry.formatted("https://h.example", "whsec_c2hvcnQ=", "call.ended")))
        .hasMessageStartingWith(
            "hooks.yaml: endpoints[0] (id 'crm'): secret: secret #1 holds 5 bytes")
        .hasMessageNotContaining("c2hvcnQ");
    assertThatThrownBy(
            () ->
                yaml(
                    "endpoints:\n  - {id: crm, tenant: acme, secret: %s, events: [call.ended]}\n"
                        .formatted(SECRET)))
        .hasMessageStartingWith("hooks.yaml: endpoints[0] (id 'crm'): url: is required");
    assertThatThrownBy(
            () ->
                yaml(
                    (entry
                            + "  - {id: crm, tenant: b, url: https://x.example, secret: %s, events: [call.ended]}\n")
                        .formatted("https://h.example", SECRET, "call.ended", SECRET)))
        .hasMessage("hooks.yaml: endpoints[1]: id 'crm' is used twice; ids must be unique");
    assertThatThrownBy(
            () ->
                yaml(
                    "endpoints:\n  - {id: crm, tenant: a, url: https://x.example, secret: %s, events: [call.ended], tenat: b}\n"
                        .formatted(SECRET)))
        .hasMessageStartingWith("hooks.yaml: endpoints[0] (id 'crm'): tenat: unknown field");
    assertThatThrownBy(() -> yaml("endpoints: []\n")).hasMessageContaining("is empty");
    assertThatThrownBy(() -> yaml("hooks:\n  - x\n")).hasMessageContaining("\"endpoints\" list");
  }

  @Test
  void aSyntaxErrorNamesTheLineButNeverQuotesTheFile() {
    assertThatThrownBy(
            () ->
                WebhooksFile.parse(
                    "hooks.json",
                    "{\"endpoints\": [{\"secret\": \"" + SECRET + "\" \"id\": 1}]}",
                    true,
                    DEFAULTS))
        .hasMessageStartingWith("hooks.json: not valid JSON (line 1")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> WebhooksFile.read(missing, DEFAULTS))
        .hasMessageStartingWith(missing + ": cannot read the webhooks file");
    assertThatThrownBy(() -> EventWebhooksConfig.from(ConfigSource.of(Map.of())))
        .hasMessageContaining("event-webhooks.webhooks-file is required");
  }
}
