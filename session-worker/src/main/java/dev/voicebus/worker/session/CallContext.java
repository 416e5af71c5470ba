package dev.voicebus.worker.session;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.output.CallIdentity;
import java.time.Instant;

/**
 * The fixed facts of one call that its session needs: who, which profile, which codec, where
 * replies go, where the call came from.
 */
public record CallContext(
    String callId,
    String tenantId,
    AgentProfile profile,
    AudioCodec codec,
    String replyTopic,
    int replyPartition,
    Instant startedAt,
    CallSource source,
    String externalCallId) {

  /** What every record of the call carries. */
  public CallIdentity identity() {
    return new CallIdentity(callId, tenantId, profile.id(), externalCallId);
  }

  /**
   * Whether the carrier can hand the caller elsewhere: Twilio calls through its REST API, SIP calls
   * through OpenAI's {@code /refer}.
   */
  public boolean transferable() {
    return source == CallSource.TWILIO || source == CallSource.SIP;
  }

  /**
   * Whether OpenAI carries the call itself (a SIP trunk pointed at OpenAI): the worker accepts it
   * and attaches a sideband socket by {@code externalCallId}, and its audio never reaches Kafka.
   */
  public boolean isSip() {
    return source == CallSource.SIP;
  }
}
