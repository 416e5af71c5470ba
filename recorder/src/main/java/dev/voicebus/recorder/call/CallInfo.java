package dev.voicebus.recorder.call;

import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.recorder.audio.PcmFormat;
import java.time.Instant;
import java.util.Optional;

/**
 * What a call's {@code CallStarted} says that the recording needs: ids, tenant and profile, where
 * the call came from, its audio format, when it started, and the audio.out partition that carries
 * its agent audio.
 */
public record CallInfo(
    String callId,
    String tenantId,
    String agentProfile,
    CallSource source,
    Optional<String> externalCallId,
    PcmFormat format,
    Instant startedAt,
    int replyPartition) {

  public static CallInfo of(CallStarted started) {
    return new CallInfo(
        started.getCallId(),
        started.getTenantId(),
        started.getAgentProfile(),
        started.getSource(),
        Optional.ofNullable(started.getExternalCallId()),
        PcmFormat.of(started.getCodec()),
        started.getStartedAt(),
        started.getReplyRoute() == null ? -1 : started.getReplyRoute().getPartition());
  }

  /** SIP calls: audio flows between the carrier and OpenAI, never over Kafka. */
  public boolean carrierRecords() {
    return source == CallSource.SIP;
  }
}
