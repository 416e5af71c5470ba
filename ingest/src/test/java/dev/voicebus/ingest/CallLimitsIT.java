package dev.voicebus.ingest;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.Tone;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idle timeout and maximum call duration end the call with a reason on both sides. */
@ExtendWith(KafkaClusterExtension.class)
class CallLimitsIT {

  private static CallEnded endOf(IngestHarness harness, SimulatedCall call) {
    var control =
        harness.control(
            r ->
                startedWithExternalId(r, call.callSid())
                    .map(s -> ended(r, s.getCallId()))
                    .orElse(false));
    String callId = startedWithExternalId(control, call.callSid()).orElseThrow().getCallId();
    return eventsOf(control, callId).stream()
        .filter(CallEnded.class::isInstance)
        .map(CallEnded.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void endsSilentConnectionsAtTheIdleTimeoutAndLongCallsAtTheMaxDuration(KafkaCluster cluster)
      throws Exception {
    var settings = Map.of("ingest.idle-timeout", "400ms", "ingest.max-call-duration", "1500ms");
    try (var harness = new IngestHarness(cluster, settings)) {
      SimulatedCall silent = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      SimulatedCall talker = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      talker.streamAudio(Tone.muLaw(440, 3000), Pacing.REAL_TIME);

      CloseStatus idle = silent.closed().get(10, TimeUnit.SECONDS);
      assertThat(idle.code()).isEqualTo(1000);
      assertThat(idle.reason()).startsWith("idle timeout");
      assertThat(endOf(harness, silent).getReason()).isEqualTo(CallEndReason.IDLE_TIMEOUT);

      CloseStatus limit = talker.closed().get(10, TimeUnit.SECONDS);
      assertThat(limit).isEqualTo(new CloseStatus(1000, "max call duration reached", 101));
      CallEnded end = endOf(harness, talker);
      assertThat(end.getReason()).isEqualTo(CallEndReason.MAX_DURATION);
      assertThat(end.getLastSeq()).isBetween(40L, 100L);
    }
  }
}
