package dev.voicebus.tools.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signs tool webhook requests per <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * with the official library: {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}, one signature per
 * configured {@code whsec_} secret (space-separated), so a receiver keeps verifying while a secret
 * rotates. Any Standard Webhooks verifier checks these requests. Secrets never appear in {@link
 * #toString()} or in an error message.
 */
public final class WebhookSigner {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** Standard Webhooks keys are 24 to 64 random bytes, base64 after {@code whsec_}. */
  private static final int MIN_KEY_BYTES = 24;

  private static final int MAX_KEY_BYTES = 64;
  private static final String PREFIX = "whsec_";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

  private final List<Webhook> keys;

  /**
   * @param secrets one or more {@code whsec_<base64>} secrets; each signs every request
   * @param key the setting they come from, named in errors
   */
  public WebhookSigner(List<String> secrets, String key) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException(key + " is required: a whsec_ secret the receiver shares");
    }
    List<Webhook> parsed = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      parsed.add(
          parse(secrets.get(i), key + (secrets.size() > 1 ? " (secret " + (i + 1) + ")" : "")));
    }
    this.keys = List.copyOf(parsed);
  }

  private static Webhook parse(String secret, String where) {
    String remedy =
        ": use whsec_ followed by the base64 of "
            + MIN_KEY_BYTES
            + " to "
            + MAX_KEY_BYTES
            + " random bytes, e.g. whsec_$(openssl rand -base64 32); to keep an existing shared"
            + " secret, use whsec_ followed by the base64 of its UTF-8 bytes";
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException(where + " is not a Standard Webhooks secret" + remedy);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not valid base64 after whsec_" + remedy);
    }
    if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          where + " holds a " + bytes.length + "-byte key, outside the standard's range" + remedy);
    }
    return new Webhook(bytes);
  }

  /**
   * The {@code webhook-id} of a tool call: the same for every attempt and every retry of one
   * toolCallId, so a receiver de-duplicates by it. A toolCallId that is not a plain token (a
   * Realtime call id always is) is replaced by a hash of it.
   */
  public static String messageId(String toolCallId) {
    if (SAFE_ID.matcher(toolCallId).matches()) {
      return toolCallId;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(toolCallId.getBytes(StandardCharsets.UTF_8));
      return "tc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** The three Standard Webhooks headers for {@code body} sent as {@code messageId} now. */
  public Map<String, String> headers(String messageId, long epochSeconds, byte[] body) {
    String payload = new String(body, StandardCharsets.UTF_8);
    List<String> signatures = new ArrayList<>(keys.size());
    try {
      for (Webhook key : keys) {
        signatures.add(key.sign(messageId, epochSeconds, payload));
      }
    } catch (WebhookSigningException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID_HEADER, messageId);
    headers.put(TIMESTAMP_HEADER, Long.toString(epochSeconds));
    headers.put(SIGNATURE_HEADER, String.join(" ", signatures));
    return headers;
  }

  @Override
  public String toString() {
    return "WebhookSigner[" + keys.size() + " keys=***]";
  }
}
