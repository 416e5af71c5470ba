package dev.voicebus.realtime.webhook;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret as OpenAI hands it out: {@code whsec_} followed by the base64
 * of the HMAC key. The key bytes are what signatures are made with. {@link #toString()} never shows
 * the secret, and no exception message of this class contains it.
 */
public final class WebhookSecret {

  /** The prefix every secret carries. */
  public static final String PREFIX = "whsec_";

  /** Shorter keys are refused: Standard Webhooks recommends 24 to 64 bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final int MAX_KEY_BYTES = 256;
  private static final int GENERATED_KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String text;
  private final byte[] key;

  private WebhookSecret(String text, byte[] key) {
    this.text = text;
    this.key = key;
  }

  /**
   * Parses {@code whsec_<base64>} (padding optional, surrounding whitespace ignored).
   *
   * @throws IllegalArgumentException naming what is wrong (never the secret itself)
   */
  public static WebhookSecret parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a webhook secret must not be blank");
    }
    String trimmed = value.strip();
    if (!trimmed.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "a webhook secret starts with " + PREFIX + " (as OpenAI shows it; value not shown)");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(padded(trimmed.substring(PREFIX.length())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a webhook secret is " + PREFIX + " followed by base64 (value not shown)");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a webhook secret must hold "
              + MIN_KEY_BYTES
              + " to "
              + MAX_KEY_BYTES
              + " bytes of key, this one holds "
              + key.length
              + " (value not shown)");
    }
    return new WebhookSecret(trimmed, key);
  }

  /** A new random secret (32 bytes of key), e.g. for a local sandbox and ingest to share. */
  public static WebhookSecret generate() {
    byte[] key = new byte[GENERATED_KEY_BYTES];
    RANDOM.nextBytes(key);
    return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key), key);
  }

  private static String padded(String base64) {
    int rest = base64.length() % 4;
    return rest == 0 ? base64 : base64 + "=".repeat(4 - rest);
  }

  /** The HMAC key (a copy). */
  byte[] key() {
    return key.clone();
  }

  /** The {@code whsec_...} text, to hand to whoever must sign or verify with it. */
  public String reveal() {
    return text;
  }

  /** True when {@code other} is the same secret (constant time). */
  public boolean sameAs(WebhookSecret other) {
    return other != null
        && java.security.MessageDigest.isEqual(
            text.getBytes(StandardCharsets.UTF_8), other.text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "WebhookSecret[***]";
  }
}
