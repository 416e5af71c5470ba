package dev.voicebus.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.CallRecords;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.IngestHarness.Keyed;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A few hundred simulated Twilio calls at once on one node, streaming in real time: every frame of
 * every call arrives on audio.in exactly once, in seq order, with its exact payload.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConcurrentTwilioCallsIT {

  private static final int CALLS = 300;
  private static final int FRAMES = 150;

  @Test
  void threeHundredConcurrentCallsLoseAndReorderNothing(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of())) {
      List<SimulatedCall> calls = new ArrayList<>();
      Map<String, byte[]> audioBySid = new HashMap<>();
      List<CompletableFuture<SimulatedCall>> connecting = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        connecting.add(harness.simulator().call(Map.of("n", String.valueOf(i))));
      }
      List<CompletableFuture<Void>> streams = new ArrayList<>();
      for (var future : connecting) {
        SimulatedCall call = future.get(30, TimeUnit.SECONDS);
        byte[] audio = uniqueAudio(calls.size());
        calls.add(call);
        audioBySid.put(call.callSid(), audio);
        streams.add(call.streamAudio(audio, Pacing.REAL_TIME));
      }
      CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      calls.forEach(SimulatedCall::sendStop);
      for (SimulatedCall call : calls) {
        assertThat(call.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1000);
      }

      var control =
          harness.control(
              r ->
                  r.stream().filter(k -> k.value().getEvent() instanceof CallEnded).count()
                      >= CALLS);
      Map<String, String> sidByCallId = new HashMap<>();
      for (var record : control) {
        if (record.value().getEvent() instanceof CallStarted s) {
          sidByCallId.put(s.getCallId(), s.getExternalCallId());
        }
      }
      assertThat(sidByCallId).hasSize(CALLS);
      List<Keyed<AudioFrame>> audio = harness.audio(r -> r.size() >= CALLS * FRAMES);
      assertThat(audio).hasSize(CALLS * FRAMES);
      Map<String, List<AudioFrame>> byCall = new HashMap<>();
      for (var record : audio) {
        byCall.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
      }
      assertThat(byCall).hasSize(CALLS);
      byCall.forEach(
          (callId, frames) -> {
            assertThat(frames).hasSize(FRAMES);
            for (int i = 0; i < FRAMES; i++) {
              assertThat(frames.get(i).getSeq()).isEqualTo(i);
            }
            assertThat(CallRecords.payloadOf(frames))
                .isEqualTo(audioBySid.get(sidByCallId.get(callId)));
          });
    }
  }

  /** 3 s of mu-law whose bytes encode the call number and frame index, so mix-ups show. */
  private static byte[] uniqueAudio(int call) {
    ByteBuffer buffer = ByteBuffer.allocate(FRAMES * 160);
    for (int frame = 0; frame < FRAMES; frame++) {
      for (int i = 0; i < 40; i++) {
        buffer.putInt(call * 1_000_000 + frame * 1000 + i);
      }
    }
    return buffer.array();
  }
}
