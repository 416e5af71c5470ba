package dev.voicebus.recorder.loop;

import dev.voicebus.avro.RecordingInfo;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.recorder.call.CallInfo;
import dev.voicebus.recorder.call.Sidecar;
import java.net.URI;
import java.time.Instant;

/** The {@code RECORDING_READY} session events the recorder publishes. Pure. */
public final class ReadyEvents {

  private ReadyEvents() {}

  /** A recording was stored at {@code location}. */
  public static SessionEvent stored(Sidecar sidecar, URI location, Instant at) {
    return SessionEvent.newBuilder()
        .setCallId(sidecar.callId())
        .setAt(at)
        .setEvent(
            SessionLifecycle.newBuilder()
                .setPhase(SessionPhase.RECORDING_READY)
                .setDetail("stored by the recorder")
                .build())
        .setRecording(
            RecordingInfo.newBuilder()
                .setLocation(location.toString())
                .setDurationMs(sidecar.durationMs())
                .setPausedMs(sidecar.pausedMs())
                .setCarrierRecords(false)
                .build())
        .setTenantId(sidecar.tenantId())
        .setAgentProfile(sidecar.agentProfile())
        .setExternalCallId(sidecar.externalCallId())
        .build();
  }

  /** A SIP call: its audio never crossed Kafka, so the carrier's recording is the one there is. */
  public static SessionEvent carrier(CallInfo info, long durationMs, Instant at) {
    return SessionEvent.newBuilder()
        .setCallId(info.callId())
        .setAt(at)
        .setEvent(
            SessionLifecycle.newBuilder()
                .setPhase(SessionPhase.RECORDING_READY)
                .setDetail(
                    "SIP call: audio does not cross Kafka; the carrier records it, if set up to")
                .build())
        .setRecording(
            RecordingInfo.newBuilder()
                .setLocation(null)
                .setDurationMs(durationMs)
                .setPausedMs(0)
                .setCarrierRecords(true)
                .build())
        .setTenantId(info.tenantId())
        .setAgentProfile(info.agentProfile())
        .setExternalCallId(info.externalCallId().orElse(null))
        .build();
  }
}
