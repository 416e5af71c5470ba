package dev.voicebus.tools.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.voicebus.tools.testing.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  static final String OLD = Secrets.whsec('o');
  static final String NEW = Secrets.whsec('n');
  private static final byte[] BODY =
      "{\"tool\":\"refund\",\"amount\":12.5,\"note\":\"caf\u00e9\"}"
          .getBytes(StandardCharsets.UTF_8);

  private static Map<String, List<String>> asHeaders(Map<String, String> headers) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    headers.forEach((k, v) -> multi.put(k, List.of(v)));
    return multi;
  }

  @Test
  void aStandardWebhooksVerifierAcceptsTheSignedRequest() {
    long now = Instant.now().getEpochSecond();
    var headers = new WebhookSigner(List.of(NEW), "k").headers("call_abc", now, BODY);

    assertThat(headers).containsEntry("webhook-id", "call_abc");
    assertThat(headers).containsEntry("webhook-timestamp", Long.toString(now));
    assertThat(headers.get("webhook-signature")).startsWith("v1,");
    assertThatCode(
            () ->
                new Webhook(NEW)
                    .verify(new String(BODY, StandardCharsets.UTF_8), asHeaders(headers)))
        .doesNotThrowAnyException();
  }

  @Test
  void whileASecretRotatesEachSecretVerifiesAlone() {
    long now = Instant.now().getEpochSecond();
    var headers = new WebhookSigner(List.of(NEW, OLD), "k").headers("call_abc", now, BODY);
    String payload = new String(BODY, StandardCharsets.UTF_8);

    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
    assertThatCode(() -> new Webhook(NEW).verify(payload, asHeaders(headers)))
        .doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(OLD).verify(payload, asHeaders(headers)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> new Webhook(Secrets.whsec('x')).verify(payload, asHeaders(headers)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void anAlteredBodyOrIdDoesNotVerify() {
    long now = Instant.now().getEpochSecond();
    var headers = new WebhookSigner(List.of(NEW), "k").headers("call_abc", now, BODY);
    assertThatThrownBy(() -> new Webhook(NEW).verify("{\"tool\":\"refund\"}", asHeaders(headers)))
        .isInstanceOf(WebhookVerificationException.class);
    var otherId = new java.util.HashMap<>(headers);
    otherId.put("webhook-id", "call_other");
    assertThatThrownBy(
            () ->
                new Webhook(NEW)
                    .verify(new String(BODY, StandardCharsets.UTF_8), asHeaders(otherId)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void theMessageIdIsTheToolCallIdAndTheSameForEveryAttempt() {
    assertThat(WebhookSigner.messageId("call_abc123")).isEqualTo("call_abc123");
    String odd = WebhookSigner.messageId("call with spaces\r\nand a break");
    assertThat(odd).startsWith("tc_").matches("[A-Za-z0-9_-]+");
    assertThat(WebhookSigner.messageId("call with spaces\r\nand a break")).isEqualTo(odd);
    assertThat(WebhookSigner.messageId("another odd one!")).isNotEqualTo(odd);
  }

  @Test
  void aSecretThatIsNotAStandardWebhooksKeyFailsNamingTheKeyNotTheSecret() {
    assertThatThrownBy(
            () -> new WebhookSigner(List.of("my-old-shared-secret"), "tools.webhook.x.secret"))
        .hasMessageContaining("tools.webhook.x.secret is not a Standard Webhooks secret")
        .hasMessageContaining("whsec_")
        .hasMessageNotContaining("my-old-shared-secret");
    assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_c2hvcnQ="), "tools.webhook.x.secret"))
        .hasMessageContaining("5-byte key");
    assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_***"), "tools.webhook.x.secret"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> new WebhookSigner(List.of(), "tools.webhook.x.secret"))
        .hasMessageContaining("tools.webhook.x.secret is required");
  }

  @Test
  void neverShowsTheKeys() {
    assertThat(new WebhookSigner(List.of(NEW, OLD), "k").toString())
        .doesNotContain(NEW.substring(6))
        .doesNotContain(OLD.substring(6));
  }
}
