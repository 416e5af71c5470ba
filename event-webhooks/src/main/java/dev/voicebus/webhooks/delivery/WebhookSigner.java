package dev.voicebus.webhooks.delivery;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signs event webhooks per Standard Webhooks with the official library ({@code
 * com.standardwebhooks:standardwebhooks}): {@code webhook-signature} is {@code v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">}, once per secret, space-separated, so that while an
 * endpoint's secret is rotated a receiver holding either the old or the new secret verifies.
 * Secrets are {@code whsec_} followed by the base64 of 24 to 64 random bytes. They never appear in
 * {@link #toString()} or an error message.
 */
public final class WebhookSigner {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  static final String PREFIX = "whsec_";
  private static final int MIN_KEY_BYTES = 24;
  private static final int MAX_KEY_BYTES = 64;

  private final List<Webhook> keys;

  /**
   * @param secrets one or more {@code whsec_...} secrets (several while rotating)
   * @throws IllegalArgumentException naming the position of a malformed secret, never its value
   */
  public WebhookSigner(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one secret is required");
    }
    List<Webhook> parsed = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      parsed.add(new Webhook(check(i, secrets.get(i))));
    }
    this.keys = List.copyOf(parsed);
  }

  private static String check(int index, String secret) {
    String which = "secret #" + (index + 1);
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          which
              + " does not start with whsec_ (a Standard Webhooks secret is whsec_ and the"
              + " base64 of 24 to 64 random bytes, e.g. from: echo whsec_$(openssl rand -base64 32))");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(which + " is not valid base64 after whsec_");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          which + " holds " + key.length + " bytes; use 24 to 64 (openssl rand -base64 32)");
    }
    return secret;
  }

  /** The {@code webhook-signature} value for one attempt: one {@code v1,...} per secret. */
  public String sign(String webhookId, long timestampSeconds, String body) {
    try {
      List<String> signatures = new ArrayList<>(keys.size());
      for (Webhook key : keys) {
        signatures.add(key.sign(webhookId, timestampSeconds, body));
      }
      return signatures.stream().collect(Collectors.joining(" "));
    } catch (WebhookSigningException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  }

  public int secretCount() {
    return keys.size();
  }

  @Override
  public String toString() {
    return "WebhookSigner[" + keys.size() + (keys.size() == 1 ? " secret]" : " secrets]");
  }
}
