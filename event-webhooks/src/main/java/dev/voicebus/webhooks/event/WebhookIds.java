package dev.voicebus.webhooks.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Derives the {@code webhook-id} of an event from what identifies it, never from chance, so that a
 * retry, a redelivery after a restart, and a copy of the same source record on the topic all carry
 * the same id and receivers can drop duplicates: {@code msg_} and 22 URL-safe base64 characters of
 * SHA-256 over the event type and its key (the call id for events a call has once, the toolCallId
 * for a failed tool, the record's topic, partition and offset otherwise).
 */
public final class WebhookIds {

  private WebhookIds() {}

  public static String of(EventType type, String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((type.wireName() + "\n" + key).getBytes(StandardCharsets.UTF_8));
      return "msg_"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The id of an event that has no id of its own: from its source record's coordinates. */
  public static String of(EventType type, SourceRef source) {
    return of(type, source.topic() + "/" + source.partition() + "/" + source.offset());
  }
}
