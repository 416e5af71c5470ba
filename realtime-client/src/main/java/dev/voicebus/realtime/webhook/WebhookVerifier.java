package dev.voicebus.realtime.webhook;

import dev.voicebus.realtime.webhook.WebhookVerificationException.Reason;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Verifies a webhook request as Standard Webhooks define it and OpenAI sends it: the headers {@code
 * webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature} (one or more
 * space-separated {@code v1,<base64>} entries, e.g. two during a secret rotation) must be present;
 * the timestamp within the tolerance (5 minutes either way by default) of this clock; and one entry
 * must equal HMAC-SHA256 over {@code id.timestamp.body} with the secret's key, compared in constant
 * time. Entries of other versions ({@code v1a,...}) are ignored. Each refusal names its reason.
 * Thread-safe.
 */
public final class WebhookVerifier {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** Standard Webhooks' (and the OpenAI SDKs') default: five minutes either way. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final int MAX_ID_LENGTH = 256;
  private static final String VERSION = "v1,";

  private final WebhookSigner signer;
  private final Clock clock;
  private final Duration tolerance;

  /** A verifier with the system clock and the default tolerance. */
  public WebhookVerifier(WebhookSecret secret) {
    this(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
  }

  public WebhookVerifier(WebhookSecret secret, Clock clock, Duration tolerance) {
    this.signer = new WebhookSigner(secret);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
    }
  }

  /**
   * Verifies one request whose headers are looked up by (lower-case) name with {@code headers}.
   *
   * @throws WebhookVerificationException with the reason of the refusal
   */
  public VerifiedWebhook verify(UnaryOperator<String> headers, byte[] body) {
    return verify(
        headers.apply(ID_HEADER),
        headers.apply(TIMESTAMP_HEADER),
        headers.apply(SIGNATURE_HEADER),
        body);
  }

  /**
   * Verifies one request: the three header values (null when absent) and the raw body bytes, as
   * received.
   *
   * @throws WebhookVerificationException with the reason of the refusal
   */
  public VerifiedWebhook verify(String id, String timestamp, String signatures, byte[] body) {
    require(id, ID_HEADER);
    require(timestamp, TIMESTAMP_HEADER);
    require(signatures, SIGNATURE_HEADER);
    if (id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
      throw new WebhookVerificationException(
          Reason.BAD_ID,
          ID_HEADER + " is longer than " + MAX_ID_LENGTH + " characters or not printable");
    }
    Instant sentAt = timestamp(timestamp.strip());
    Instant now = clock.instant();
    if (sentAt.isBefore(now.minus(tolerance))) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_OLD,
          TIMESTAMP_HEADER
              + " "
              + sentAt.getEpochSecond()
              + " is more than "
              + tolerance.toSeconds()
              + " s before now ("
              + now.getEpochSecond()
              + "): a replay, or a clock that is off");
    }
    if (sentAt.isAfter(now.plus(tolerance))) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_NEW,
          TIMESTAMP_HEADER
              + " "
              + sentAt.getEpochSecond()
              + " is more than "
              + tolerance.toSeconds()
              + " s after now ("
              + now.getEpochSecond()
              + "): a clock that is off");
    }
    List<byte[]> candidates = candidates(signatures);
    byte[] expected = signer.mac(id, timestamp.strip(), body);
    boolean matched = false;
    for (byte[] candidate : candidates) {
      // No early exit, so the time taken does not tell which entry matched.
      matched |= MessageDigest.isEqual(expected, candidate);
    }
    if (!matched) {
      throw new WebhookVerificationException(
          Reason.SIGNATURE_MISMATCH,
          "no "
              + SIGNATURE_HEADER
              + " entry ("
              + candidates.size()
              + " given) matches the body under the configured secret");
    }
    return new VerifiedWebhook(id, sentAt);
  }

  private static void require(String value, String header) {
    if (value == null || value.isBlank()) {
      throw new WebhookVerificationException(
          Reason.MISSING_HEADER, "the " + header + " header is missing");
    }
  }

  private static Instant timestamp(String value) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(value));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new WebhookVerificationException(
          Reason.BAD_TIMESTAMP,
          TIMESTAMP_HEADER + " '" + clip(value) + "' is not a Unix time in whole seconds");
    }
  }

  private static List<byte[]> candidates(String header) {
    List<byte[]> out = new ArrayList<>();
    for (String entry : header.strip().split("\\s+")) {
      if (!entry.startsWith(VERSION)) {
        continue;
      }
      try {
        out.add(Base64.getDecoder().decode(entry.substring(VERSION.length())));
      } catch (IllegalArgumentException e) {
        // A malformed entry cannot match; others may.
      }
    }
    if (out.isEmpty()) {
      throw new WebhookVerificationException(
          Reason.NO_SIGNATURE,
          SIGNATURE_HEADER + " holds no v1,<base64> entry (space-separated, e.g. v1,K5oZ...=)");
    }
    return out;
  }

  private static String clip(String value) {
    return value.length() <= 32 ? value : value.substring(0, 32) + "...";
  }

  @Override
  public String toString() {
    return "WebhookVerifier[tolerance=" + tolerance + "]";
  }
}
