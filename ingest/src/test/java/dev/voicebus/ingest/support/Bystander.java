package dev.voicebus.ingest.support;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.Tone;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved Twilio call that runs through a hostile test: it streams audio in real time, is
 * played agent audio, and hangs up. {@link #assertUnaffected()} checks that its audio reached Kafka
 * complete and in order, that it heard the agent, and that it closed normally.
 */
public final class Bystander {

  private final IngestHarness harness;
  private final SimulatedCall call;
  private final byte[] audio;
  private final byte[] agentSpeech = Tone.muLaw(520, 400);
  private final CompletableFuture<Void> streaming;
  private final String callId;

  private Bystander(IngestHarness harness, SimulatedCall call, Duration length) {
    this.harness = harness;
    this.call = call;
    this.audio = new byte[(int) (length.toMillis() / 20) * 160];
    new Random(call.callSid().hashCode()).nextBytes(audio);
    this.streaming = call.streamAudio(audio, Pacing.REAL_TIME);
    var control = harness.control(r -> startedWithExternalId(r, call.callSid()).isPresent());
    CallStarted started = startedWithExternalId(control, call.callSid()).orElseThrow();
    this.callId = started.getCallId();
    var agent =
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(0)
            .setItemId("item_bystander")
            .setOffsetMs(0)
            .setDurationMs(agentSpeech.length / 8)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(agentSpeech))
            .build();
    harness.publishAudioOut(callId, started.getReplyRoute().getPartition(), new AudioOut(agent));
  }

  /** Starts a call through {@code harness}'s simulator streaming {@code length} of audio. */
  public static Bystander start(IngestHarness harness, Duration length) throws Exception {
    SimulatedCall call = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
    return new Bystander(harness, call, length);
  }

  public String callId() {
    return callId;
  }

  /**
   * Waits for the call to finish streaming, hangs it up, and checks what a caller would care about.
   */
  public void assertUnaffected() throws Exception {
    streaming.get(audio.length / 8 + 30_000, TimeUnit.MILLISECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> call.receivedAudio().length >= agentSpeech.length);
    assertThat(call.receivedAudio())
        .as("agent audio heard by the bystander")
        .isEqualTo(agentSpeech);
    assertThat(call.closed()).as("bystander still connected").isNotDone();
    call.sendStop();
    assertThat(call.closed().get(10, TimeUnit.SECONDS))
        .isEqualTo(new CloseStatus(1000, "stream stopped", 101));

    int frames = audio.length / 160;
    List<Object> events = eventsOf(harness.control(r -> ended(r, callId)), callId);
    CallEnded end = (CallEnded) events.get(events.size() - 1);
    assertThat(end.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
    assertThat(end.getLastSeq()).isEqualTo(frames - 1);
    List<AudioFrame> published =
        framesOf(harness.audio(r -> framesOf(r, callId).size() >= frames), callId);
    assertThat(published).extracting(AudioFrame::getSeq).containsExactlyElementsOf(seqs(frames));
    assertThat(payloadOf(published)).as("bystander audio on audio.in").isEqualTo(audio);
  }

  private static List<Long> seqs(int count) {
    return java.util.stream.LongStream.range(0, count).boxed().toList();
  }
}
