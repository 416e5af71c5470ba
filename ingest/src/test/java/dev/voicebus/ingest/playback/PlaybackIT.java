package dev.voicebus.ingest.playback;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.Tone;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Agent audio on the node's reply partition reaches the right simulated caller, paced, with marks.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaybackIT {

  private static final int REPLY_PARTITION = 1;
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) {
    harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.reply-partition",
                String.valueOf(REPLY_PARTITION),
                "ingest.playback.lead",
                "100ms"));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private record Live(SimulatedCall sim, String callId) {}

  private Live startCall() throws Exception {
    SimulatedCall sim = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
    var control = harness.control(r -> startedWithExternalId(r, sim.callSid()).isPresent());
    var started = startedWithExternalId(control, sim.callSid()).orElseThrow();
    assertThat(started.getReplyRoute().getPartition()).isEqualTo(REPLY_PARTITION);
    return new Live(sim, started.getCallId());
  }

  private void agentAudio(String callId, String itemId, long offsetMs, byte[] payload) {
    var audio =
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(offsetMs)
            .setItemId(itemId)
            .setOffsetMs(offsetMs)
            .setDurationMs(payload.length / 8)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(payload))
            .build();
    harness.publishAudioOut(callId, REPLY_PARTITION, new AudioOut(audio));
  }

  @Test
  void playsAgentAudioInRealTimeTwentyMillisecondFramesWithMarks() throws Exception {
    Live call = startCall();
    Live bystander = startCall();
    byte[] speech = Tone.muLaw(500, 1000);
    for (int i = 0; i < 10; i++) {
      agentAudio(
          call.callId(), "item_a", i * 100L, Arrays.copyOfRange(speech, i * 800, (i + 1) * 800));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> call.sim().receivedAudio().length == speech.length);
    assertThat(call.sim().receivedAudio()).isEqualTo(speech);
    List<ReceivedFrame> frames = call.sim().receivedFrames();
    assertThat(frames).hasSize(50).allSatisfy(f -> assertThat(f.payload()).hasSize(160));
    // 50 frames of 20 ms are paced in real time: with up to 100 ms sent ahead, the first and
    // last frame are at least 1000 - 20 - 100 ms apart (minus scheduler slack), never all at once.
    long spreadMs = (frames.get(49).arrivedNanos() - frames.get(0).arrivedNanos()) / 1_000_000;
    assertThat(spreadMs).isBetween(850L, 2500L);
    assertThat(bystander.sim().receivedAudio()).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> call.sim().marksEchoed().size() == 10);
    var control =
        harness.control(
            r ->
                eventsOf(r, call.callId()).stream().filter(PlaybackMark.class::isInstance).count()
                    == 10);
    List<PlaybackMark> marks =
        eventsOf(control, call.callId()).stream()
            .filter(PlaybackMark.class::isInstance)
            .map(PlaybackMark.class::cast)
            .toList();
    assertThat(marks)
        .extracting(PlaybackMark::getName)
        .containsExactly(
            "item_a:100",
            "item_a:200",
            "item_a:300",
            "item_a:400",
            "item_a:500",
            "item_a:600",
            "item_a:700",
            "item_a:800",
            "item_a:900",
            "item_a:1000");
    assertThat(marks)
        .extracting(PlaybackMark::getPlayedMs)
        .containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);
    assertThat(marks)
        .allSatisfy(
            m -> {
              assertThat(m.getCleared()).isFalse();
              assertThat(m.getItemId()).isEqualTo("item_a");
            });
  }

  @Test
  void clearDropsQueuedAudioSendsClearAndReportsWhatWasHeard() throws Exception {
    Live call = startCall();
    byte[] speech = Tone.muLaw(700, 3000);
    for (int i = 0; i < 3; i++) {
      agentAudio(
          call.callId(), "item_b", i * 1000L, Arrays.copyOfRange(speech, i * 8000, (i + 1) * 8000));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> call.sim().receivedFrames().size() >= 25);
    var clear =
        ClearPlayback.newBuilder()
            .setCallId(call.callId())
            .setItemId("item_b")
            .setReason("barge-in")
            .setAt(Instant.now())
            .build();
    harness.publishAudioOut(call.callId(), REPLY_PARTITION, new AudioOut(clear));
    await().atMost(Duration.ofSeconds(10)).until(() -> call.sim().clearsReceived() == 1);
    int framesAtClear = call.sim().receivedFrames().size();

    var control =
        harness.control(
            r ->
                eventsOf(r, call.callId()).stream()
                    .anyMatch(
                        e -> e instanceof PlaybackMark m && m.getName().startsWith("clear:")));
    PlaybackMark cleared =
        eventsOf(control, call.callId()).stream()
            .filter(e -> e instanceof PlaybackMark m && m.getName().equals("clear:item_b"))
            .map(PlaybackMark.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(cleared.getCleared()).isTrue();
    // Heard = sent minus what was still buffered at the caller: not more than was sent.
    assertThat(cleared.getPlayedMs()).isBetween(300L, framesAtClear * 20L);
    // Nothing more arrives after the clear; audio was dropped, not delayed.
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> call.sim().receivedFrames().size() == framesAtClear);
    assertThat(framesAtClear).isLessThan(150);
  }

  @Test
  void hangupPlaysQueuedAudioThenClosesAndPublishesCallEnded() throws Exception {
    Live call = startCall();
    byte[] speech = Tone.muLaw(900, 400);
    agentAudio(call.callId(), "item_c", 0, speech);
    var hangup =
        Hangup.newBuilder()
            .setCallId(call.callId())
            .setReason("goodbye")
            .setAt(Instant.now())
            .build();
    harness.publishAudioOut(call.callId(), REPLY_PARTITION, new AudioOut(hangup));

    var closed = call.sim().closed().get(10, TimeUnit.SECONDS);
    assertThat(closed.code()).isEqualTo(1000);
    assertThat(call.sim().receivedAudio()).isEqualTo(speech);
    var control = harness.control(r -> ended(r, call.callId()));
    CallEnded end =
        eventsOf(control, call.callId()).stream()
            .filter(CallEnded.class::isInstance)
            .map(CallEnded.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(end.getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
    assertThat(end.getDetail()).isEqualTo("goodbye");
  }

  @Test
  void deadLettersUndecodableRecordsAndKeepsPlaying() throws Exception {
    Live call = startCall();
    harness.publishRawAudioOut(call.callId(), REPLY_PARTITION, new byte[] {1, 2, 3, 4});
    byte[] speech = Tone.muLaw(600, 200);
    agentAudio(call.callId(), "item_d", 0, speech);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> call.sim().receivedAudio().length == speech.length);
    var dead = harness.deadLetters(1);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).containsExactly(1, 2, 3, 4);
    assertThat(
            new String(
                dead.get(0).headers().lastHeader("voicebus.dlq.service").value(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("ingest");
  }
}
