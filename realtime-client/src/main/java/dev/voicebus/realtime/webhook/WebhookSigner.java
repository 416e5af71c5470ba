package dev.voicebus.realtime.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests as Standard Webhooks (and OpenAI) do: {@code v1,} followed by the base64
 * of HMAC-SHA256 over {@code id.timestamp.body} with the secret's key. Used by the sandbox, which
 * plays OpenAI, and by {@link WebhookVerifier}. Thread-safe.
 */
public final class WebhookSigner {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSigner(WebhookSecret secret) {
    this.key = new SecretKeySpec(Objects.requireNonNull(secret, "secret").key(), ALGORITHM);
  }

  /** The {@code webhook-signature} value for one delivery: {@code v1,<base64>}. */
  public String sign(String id, long timestampSeconds, byte[] body) {
    return "v1,"
        + Base64.getEncoder().encodeToString(mac(id, Long.toString(timestampSeconds), body));
  }

  /** The raw HMAC of {@code id.timestamp.body}; the timestamp exactly as sent. */
  byte[] mac(String id, String timestamp, byte[] body) {
    Mac mac;
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
    mac.update(id.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) '.');
    mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) '.');
    return mac.doFinal(body);
  }

  @Override
  public String toString() {
    return "WebhookSigner[***]";
  }
}
