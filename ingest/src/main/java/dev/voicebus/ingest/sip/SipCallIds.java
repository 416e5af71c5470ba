package dev.voicebus.ingest.sip;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Voicebus call id of a SIP call, derived from OpenAI's {@code call_id} alone (a name-based
 * UUID), so every ingest node that receives the same call's webhook, and every retry of it,
 * publishes the same id, and the owning worker drops the duplicate {@code CallStarted}.
 */
public final class SipCallIds {

  private SipCallIds() {}

  public static String of(String openAiCallId) {
    return UUID.nameUUIDFromBytes(("openai-sip:" + openAiCallId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
