package dev.voicebus.tools.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature scheme: {@code X-Voicebus-Signature: sha256=<hex>} where hex is HMAC-SHA256
 * with the tool's secret over the UTF-8 bytes of {@code <timestamp>.} followed by the exact body
 * bytes, and timestamp is the {@code X-Voicebus-Timestamp} header (Unix seconds). Receivers
 * recompute it, compare in constant time, and reject old timestamps to stop replays.
 */
public final class WebhookSigner {

  public static final String SIGNATURE_HEADER = "X-Voicebus-Signature";
  public static final String TIMESTAMP_HEADER = "X-Voicebus-Timestamp";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSigner(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The header value {@code sha256=<hex>} for {@code body} sent at {@code epochSeconds}. */
  public String sign(long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Whether {@code signatureHeader} is the right signature (constant-time comparison). */
  public boolean verify(long epochSeconds, byte[] body, String signatureHeader) {
    if (signatureHeader == null) {
      return false;
    }
    byte[] expected = sign(epochSeconds, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "WebhookSigner[key=***]";
  }
}
