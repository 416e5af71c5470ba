package dev.voicebus.tools.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  private static final byte[] BODY = "{\"tool\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsTimestampDotBodyWithHmacSha256() {
    // Reference value: printf '1700000000.{"tool":"x"}' | openssl dgst -sha256 -hmac secret
    assertThat(new WebhookSigner("secret").sign(1_700_000_000L, BODY))
        .isEqualTo("sha256=986e05e08de92176dceda45aec6c1379716948d03b454b1133d7e4f8c3587fb6");
  }

  @Test
  void verifiesOnlyTheExactBodyTimestampAndKey() {
    var signer = new WebhookSigner("secret");
    String signature = signer.sign(1_700_000_000L, BODY);

    assertThat(signer.verify(1_700_000_000L, BODY, signature)).isTrue();
    assertThat(signer.verify(1_700_000_001L, BODY, signature)).isFalse();
    assertThat(signer.verify(1_700_000_000L, "{}".getBytes(StandardCharsets.UTF_8), signature))
        .isFalse();
    assertThat(new WebhookSigner("other").verify(1_700_000_000L, BODY, signature)).isFalse();
    assertThat(signer.verify(1_700_000_000L, BODY, null)).isFalse();
  }

  @Test
  void neverShowsTheKey() {
    assertThat(new WebhookSigner("secret").toString()).doesNotContain("secret");
  }
}
