package dev.voicebus.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  static final String OLD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String NEW = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

  @Test
  void signsOncePerSecretSoEitherSecretVerifies() throws Exception {
    var signer = new WebhookSigner(List.of(OLD, NEW));
    long now = Instant.now().getEpochSecond();
    String body = "{\"type\":\"call.started\"}";
    String signature = signer.sign("msg_1", now, body);
    assertThat(signature.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    var headers =
        Map.of(
            "webhook-id", List.of("msg_1"),
            "webhook-timestamp", List.of(Long.toString(now)),
            "webhook-signature", List.of(signature));
    assertThatCode(() -> new Webhook(OLD).verify(body, headers)).doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(NEW).verify(body, headers)).doesNotThrowAnyException();
    assertThatThrownBy(() -> new Webhook(NEW).verify(body + " ", headers))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void matchesTheStandardWebhooksTestVector() {
    // From the Standard Webhooks specification's reference libraries.
    var signer = new WebhookSigner(List.of(OLD));
    assertThat(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void refusesMalformedSecretsWithoutShowingThem() {
    assertThatThrownBy(() -> new WebhookSigner(List.of("not-a-secret-value")))
        .hasMessageContaining("secret #1 does not start with whsec_")
        .hasMessageNotContaining("not-a-secret-value");
    assertThatThrownBy(() -> new WebhookSigner(List.of(OLD, "whsec_c2hvcnQ=")))
        .hasMessageContaining("secret #2 holds 5 bytes");
    assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_%%%notbase64")))
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("notbase64");
    assertThat(new WebhookSigner(List.of(OLD, NEW)).toString())
        .isEqualTo("WebhookSigner[2 secrets]");
  }
}
