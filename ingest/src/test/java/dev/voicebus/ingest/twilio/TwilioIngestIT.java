package dev.voicebus.ingest.twilio;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Dtmf;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.Tone;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class TwilioIngestIT {

  @Test
  void publishesAFullTwilioCallInOrderWithDtmfAndStop(KafkaCluster cluster) throws Exception {
    // The tenant comes from the credential: the single auth token's is ingest.default-tenant-id.
    try (var harness = new IngestHarness(cluster, Map.of("ingest.default-tenant-id", "acme"))) {
      byte[] audio = Tone.muLaw(440, 1000);
      SimulatedCall call =
          harness
              .simulator()
              .call(Map.of("agentProfile", "sales", "tenantId", "acme", "campaign", "spring"))
              .get(10, TimeUnit.SECONDS);
      call.streamAudio(audio, Pacing.AS_FAST_AS_POSSIBLE).get(10, TimeUnit.SECONDS);
      call.sendDtmf("5");
      call.sendStop();
      assertThat(call.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);

      var control =
          harness.control(
              r ->
                  startedWithExternalId(r, call.callSid())
                      .map(s -> ended(r, s.getCallId()))
                      .orElse(false));
      CallStarted started = startedWithExternalId(control, call.callSid()).orElseThrow();
      assertThat(started.getAgentProfile()).isEqualTo("sales");
      assertThat(started.getTenantId()).isEqualTo("acme");
      assertThat(started.getSource()).isEqualTo(CallSource.TWILIO);
      assertThat(started.getCodec()).isEqualTo(AudioCodec.PCMU);
      assertThat(started.getSampleRate()).isEqualTo(8000);
      assertThat(started.getCallerMetadata())
          .containsEntry("campaign", "spring")
          .containsEntry("twilio.streamSid", call.streamSid());
      assertThat(started.getReplyRoute().getTopic())
          .isEqualTo(harness.catalogue().name(Topics.AUDIO_OUT));
      assertThat(started.getReplyRoute().getPartition()).isZero();

      String callId = started.getCallId();
      List<Object> events = eventsOf(control, callId);
      assertThat(events).hasSize(3);
      assertThat(events.get(0)).isInstanceOf(CallStarted.class);
      assertThat(((Dtmf) events.get(1)).getDigit()).isEqualTo("5");
      CallEnded end = (CallEnded) events.get(2);
      assertThat(end.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
      assertThat(end.getLastSeq()).isEqualTo(49);

      var records = harness.audio(r -> framesOf(r, callId).size() >= 50);
      List<AudioFrame> frames = framesOf(records, callId);
      assertThat(frames).hasSize(50);
      for (int i = 0; i < frames.size(); i++) {
        assertThat(frames.get(i).getSeq()).isEqualTo(i);
        assertThat(frames.get(i).getDurationMs()).isEqualTo(20);
        assertThat(frames.get(i).getCodec()).isEqualTo(AudioCodec.PCMU);
      }
      assertThat(payloadOf(frames)).isEqualTo(audio);
    }
  }

  @Test
  void batchesTwentyMillisecondFramesIntoConfiguredChunks(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.chunk-ms", "60"))) {
      byte[] audio = Tone.muLaw(300, 500);
      SimulatedCall call = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      call.streamAudio(audio, Pacing.AS_FAST_AS_POSSIBLE).get(10, TimeUnit.SECONDS);
      call.sendStop();
      call.closed().get(10, TimeUnit.SECONDS);

      var control =
          harness.control(
              r ->
                  startedWithExternalId(r, call.callSid())
                      .map(s -> ended(r, s.getCallId()))
                      .orElse(false));
      CallStarted started = startedWithExternalId(control, call.callSid()).orElseThrow();
      assertThat(started.getAgentProfile()).isEqualTo("default");
      String callId = started.getCallId();
      List<AudioFrame> frames =
          framesOf(harness.audio(r -> framesOf(r, started.getCallId()).size() >= 9), callId);
      // 500 ms = 8 chunks of 60 ms + a final 20 ms chunk flushed at stop.
      assertThat(frames)
          .extracting(AudioFrame::getDurationMs)
          .containsExactly(60, 60, 60, 60, 60, 60, 60, 60, 20);
      assertThat(frames)
          .extracting(AudioFrame::getSeq)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(payloadOf(frames)).isEqualTo(audio);
    }
  }
}
