package dev.voicebus.ingest.twilio;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.ReceivedFrame;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.Tone;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.FakeTwilio;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's hang-ups and transfers carried out through Twilio's REST API (the fake Twilio on a
 * real socket, checking account, credentials and TwiML): a transfer once the agent's audio has
 * played, ending the call as TRANSFERRED; a refused or impossible transfer answered as the tool
 * call's error on tool.results while the call goes on; a hang-up completing the call by REST.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwilioCallControlIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = SimulatedCall.ACCOUNT_SID;
  private TwilioCallSimulator twilioSide;
  private FakeTwilio twilio;
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) throws Exception {
    twilioSide =
        new TwilioCallSimulator(
            SimulatorOptions.of(URI.create("ws://127.0.0.1:1/unused"), IngestHarness.TWILIO_TOKEN),
            1);
    twilio = FakeTwilio.start(Map.of(ACCOUNT, IngestHarness.TWILIO_TOKEN), twilioSide);
    harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.twilio.account-sid",
                ACCOUNT,
                "ingest.twilio.api-base-url",
                twilio.baseUrl().toString(),
                "ingest.twilio.rest-hangup",
                "true"));
  }

  @AfterEach
  void reset() {
    twilio.stopStreamBeforeAnswering(false);
  }

  @AfterAll
  void stop() {
    harness.close();
    twilio.close();
    twilioSide.close();
  }

  private record Live(SimulatedCall sim, String callId) {}

  private Live startCall() throws Exception {
    SimulatedCall sim = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
    twilio.attach(sim);
    var control = harness.control(r -> startedWithExternalId(r, sim.callSid()).isPresent());
    return new Live(sim, startedWithExternalId(control, sim.callSid()).orElseThrow().getCallId());
  }

  private void agentAudio(String callId, String itemId, byte[] payload) {
    var audio =
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(0)
            .setItemId(itemId)
            .setOffsetMs(0)
            .setDurationMs(payload.length / 8)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(payload))
            .build();
    harness.publishAudioOut(callId, 0, new AudioOut(audio));
  }

  private void hangup(String callId, String transferTarget, String toolCallId) {
    var hangup =
        Hangup.newBuilder()
            .setCallId(callId)
            .setReason(transferTarget == null ? "goodbye" : "transfer")
            .setAt(Instant.now())
            .setTransferTarget(transferTarget)
            .setToolCallId(toolCallId)
            .build();
    harness.publishAudioOut(callId, 0, new AudioOut(hangup));
  }

  private List<FakeTwilio.Request> updatesOf(String callSid) {
    return twilio.requests().stream()
        .filter(r -> r.callSid().equals(Optional.of(callSid)))
        .toList();
  }

  private CallEnded endOf(String callId) {
    var control = harness.control(r -> ended(r, callId));
    return eventsOf(control, callId).stream()
        .filter(CallEnded.class::isInstance)
        .map(CallEnded.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private ToolResult resultOf(String toolCallId) {
    return harness
        .toolResults(r -> r.stream().anyMatch(k -> k.value().getToolCallId().equals(toolCallId)))
        .stream()
        .map(IngestHarness.Keyed::value)
        .filter(r -> r.getToolCallId().equals(toolCallId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void transfersOnceTheAgentsLastLineHasPlayedAndEndsTheCallAsTransferred() throws Exception {
    Live call = startCall();
    byte[] lastLine = Tone.muLaw(700, 1000);
    agentAudio(call.callId(), "item_bye", lastLine);
    hangup(call.callId(), "+15551230000", "call_transfer_1");

    await().atMost(Duration.ofSeconds(10)).until(() -> !updatesOf(call.sim().callSid()).isEmpty());
    FakeTwilio.Request update = updatesOf(call.sim().callSid()).get(0);
    assertThat(update.status()).isEqualTo(200);
    assertThat(update.form())
        .containsExactly(Map.entry("Twiml", "<Response><Dial>+15551230000</Dial></Response>"));
    assertThat(call.sim().receivedAudio()).isEqualTo(lastLine);
    List<ReceivedFrame> frames = call.sim().receivedFrames();
    long lastFrameAt = frames.get(frames.size() - 1).arrivedNanos();
    assertThat(update.receivedAtNanos()).isGreaterThan(lastFrameAt);
    // A second of audio, paced in real time with at most 100 ms sent ahead, had played first.
    assertThat((update.receivedAtNanos() - frames.get(0).arrivedNanos()) / 1_000_000)
        .isGreaterThanOrEqualTo(850);
    assertThat(twilio.calls().dialed(call.sim().callSid())).contains("+15551230000");

    assertThat(call.sim().closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    CallEnded end = endOf(call.callId());
    assertThat(end.getReason()).isEqualTo(CallEndReason.TRANSFERRED);
    assertThat(end.getTransferTarget()).isEqualTo("+15551230000");
  }

  @Test
  void twilioStoppingTheStreamBeforeItAnswersStillEndsTheCallAsTransferred() throws Exception {
    twilio.stopStreamBeforeAnswering(true);
    Live call = startCall();
    hangup(call.callId(), "sip:billing@pbx.example.com", "call_transfer_2");

    CallEnded end = endOf(call.callId());

    assertThat(end.getReason()).isEqualTo(CallEndReason.TRANSFERRED);
    assertThat(end.getTransferTarget()).isEqualTo("sip:billing@pbx.example.com");
    assertThat(updatesOf(call.sim().callSid()).get(0).form().get("Twiml"))
        .isEqualTo("<Response><Dial><Sip>sip:billing@pbx.example.com</Sip></Dial></Response>");
  }

  @Test
  void aTransferTwilioRefusesBecomesTheToolCallsErrorAndTheCallGoesOn() throws Exception {
    Live call = startCall();
    twilio.failNext(new FakeTwilio.Failure(400, 13223, "Dial: Invalid phone number format"));
    hangup(call.callId(), "+15550000000", "call_transfer_3");

    ToolResult result = resultOf("call_transfer_3");
    assertThat(result.getCallId()).isEqualTo(call.callId());
    assertThat(result.getName()).isEqualTo("transfer_call");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(result.getExternalCallId()).isEqualTo(call.sim().callSid());
    var output = JSON.readTree(result.getOutputJson());
    assertThat(output.get("error").asText()).isEqualTo("transfer_failed");
    assertThat(output.get("message").asText())
        .isEqualTo(
            "The transfer to +15550000000 did not go through: the phone company refused it."
                + " Tell the caller and offer to help another way.");

    byte[] apology = Tone.muLaw(500, 400);
    agentAudio(call.callId(), "item_sorry", apology);
    await().atMost(Duration.ofSeconds(10)).until(() -> call.sim().receivedAudio().length == 3200);
    assertThat(call.sim().closed()).isNotDone();
    assertThat(eventsOf(harness.control(r -> true), call.callId()))
        .noneMatch(CallEnded.class::isInstance);
    call.sim().sendStop();
    assertThat(endOf(call.callId()).getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
  }

  @Test
  void aTargetThatIsNoNumberIsRefusedWithoutAskingTwilio() throws Exception {
    Live call = startCall();
    hangup(call.callId(), "billing", "call_transfer_4");

    ToolResult result = resultOf("call_transfer_4");

    assertThat(JSON.readTree(result.getOutputJson()).get("message").asText())
        .contains("it is not a phone number or a SIP address");
    assertThat(updatesOf(call.sim().callSid())).isEmpty();
    assertThat(call.sim().closed()).isNotDone();
    call.sim().sendStop();
  }

  @Test
  void aHangupAfterTheGoodbyeAlsoCompletesTheCallThroughRest() throws Exception {
    Live call = startCall();
    agentAudio(call.callId(), "item_goodbye", Tone.muLaw(800, 300));
    hangup(call.callId(), null, null);

    assertThat(call.sim().closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    assertThat(call.sim().receivedAudio()).hasSize(2400);
    await().atMost(Duration.ofSeconds(10)).until(() -> !updatesOf(call.sim().callSid()).isEmpty());
    assertThat(updatesOf(call.sim().callSid()).get(0).form())
        .containsExactly(Map.entry("Status", "completed"));
    assertThat(endOf(call.callId()).getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
  }
}
