package dev.voicebus.ingest.twilio;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.PlainStreamClient;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.Tone;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessage.MediaFormat;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a close code and a reason naming the problem; a bystander call streaming in real
 * time through all of it loses nothing.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwilioBadInputIT {

  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) {
    harness =
        new IngestHarness(
            cluster, Map.of("ingest.max-frame-bytes", "16384", "ingest.max-concurrent-calls", "6"));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private SimulatedCall raw() throws Exception {
    SimulatedCall call = harness.simulator().connectRaw(signed()).get(10, TimeUnit.SECONDS);
    return call;
  }

  private DefaultHttpHeaders signed() {
    var headers = new DefaultHttpHeaders();
    headers.set(
        TwilioSignature.HEADER,
        TwilioSignature.sign(IngestHarness.TWILIO_TOKEN, harness.twilioUri().toString(), Map.of()));
    return headers;
  }

  private CloseStatus closeOf(SimulatedCall call) throws Exception {
    return call.closed().get(10, TimeUnit.SECONDS);
  }

  private static String start(String encoding) {
    return TwilioCodec.encodeToString(
        new Inbound.Start(
            1, "MZ1", "AC1", "CAbad", List.of(), Map.of(), new MediaFormat(encoding, 8000, 1)));
  }

  private static String media(int seq, int chunk) {
    return TwilioCodec.encodeToString(
        new Inbound.Media(seq, "MZ1", "inbound", chunk, 0, new byte[] {0, 0, 0}));
  }

  @Test
  void badInputClosesOnlyTheOffendingCall() throws Exception {
    SimulatedCall bystander = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
    byte[] bystanderAudio = Tone.muLaw(350, 2000);
    CompletableFuture<Void> streaming = bystander.streamAudio(bystanderAudio, Pacing.REAL_TIME);

    // Malformed, unknown and oversized messages are not Twilio messages, so they are written by
    // hand; every valid one comes from the codec.
    var malformed = raw();
    malformed.sendText("{\"event\":\"start\",");
    assertThat(closeOf(malformed).code()).isEqualTo(1002);
    assertThat(closeOf(malformed).reason()).startsWith("malformed JSON");

    var unknown = raw();
    unknown.sendText("{\"event\":\"teleport\",\"sequenceNumber\":\"1\"}");
    assertThat(closeOf(unknown)).isEqualTo(new CloseStatus(1002, "unknown event 'teleport'", 101));

    var badBase64 = raw();
    badBase64.sendText(start("audio/x-mulaw"));
    badBase64.sendText(
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{"
            + "\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\","
            + "\"payload\":\"!!!not base64!!!\"}}");
    assertThat(closeOf(badBase64))
        .isEqualTo(new CloseStatus(1002, "media.payload is not valid base64", 101));

    var wrongCodec = raw();
    wrongCodec.sendText(start("audio/x-l16"));
    assertThat(closeOf(wrongCodec).code()).isEqualTo(1003);
    assertThat(closeOf(wrongCodec).reason()).contains("unsupported mediaFormat audio/x-l16");

    var backwards = raw();
    backwards.sendText(start("audio/x-mulaw"));
    backwards.sendText(media(2, 1));
    backwards.sendText(media(3, 1));
    assertThat(closeOf(backwards))
        .isEqualTo(new CloseStatus(1002, "media.chunk went backwards: 1 after 1", 101));

    var beforeStart = raw();
    beforeStart.sendText(media(1, 1));
    assertThat(closeOf(beforeStart)).isEqualTo(new CloseStatus(1002, "media before start", 101));

    var oversized = raw();
    oversized.sendText("{\"event\":\"connected\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
    assertThat(closeOf(oversized).code()).isEqualTo(1009);

    var binary = raw();
    binary.sendBinary(new byte[] {1, 2, 3});
    assertThat(closeOf(binary).code()).isEqualTo(1003);

    streaming.get(10, TimeUnit.SECONDS);
    bystander.sendStop();
    assertThat(closeOf(bystander).code()).isEqualTo(1000);
    var control =
        harness.control(
            r ->
                startedWithExternalId(r, bystander.callSid())
                        .map(s -> ended(r, s.getCallId()))
                        .orElse(false)
                    && startedWithExternalId(r, "CAbad")
                        .map(s -> ended(r, s.getCallId()))
                        .orElse(false));
    String callId = startedWithExternalId(control, bystander.callSid()).orElseThrow().getCallId();
    var frames = framesOf(harness.audio(r -> framesOf(r, callId).size() >= 100), callId);
    assertThat(frames).hasSize(100);
    assertThat(payloadOf(frames)).isEqualTo(bystanderAudio);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).getSeq()).isEqualTo(i);
    }
    // Calls that did start and then broke the protocol are announced as ended with the reason.
    List<CallEnded> protocolEnds =
        control.stream()
            .map(r -> r.value().getEvent())
            .filter(e -> e instanceof CallEnded c && c.getReason() == CallEndReason.PROTOCOL_ERROR)
            .map(CallEnded.class::cast)
            .toList();
    assertThat(protocolEnds)
        .extracting(CallEnded::getDetail)
        .contains("media.payload is not valid base64", "media.chunk went backwards: 1 after 1");
  }

  @Test
  void refusesBadSignaturesAndMissingTokensBeforeTheUpgrade() throws Exception {
    var forged =
        new TwilioCallSimulator(SimulatorOptions.of(harness.twilioUri(), "not-the-token"), 1);
    try (forged) {
      CompletableFuture<SimulatedCall> attempt = forged.call(Map.of());
      assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("403");
    }
    var unsigned = harness.simulator().connectRaw(new DefaultHttpHeaders());
    assertThatThrownBy(() -> unsigned.get(10, TimeUnit.SECONDS)).hasMessageContaining("401");

    assertThatThrownBy(() -> PlainStreamClient.connect(harness.streamUri(), null))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                    .isEqualTo(401));
    assertThatThrownBy(() -> PlainStreamClient.connect(harness.streamUri(), "wrong"))
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                    .isEqualTo(403));
  }

  @Test
  void refusesCallsOverTheNodeLimitWithTryAgainLater() throws Exception {
    List<SimulatedCall> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS));
    }
    var control =
        harness.control(
            r -> held.stream().allMatch(c -> startedWithExternalId(r, c.callSid()).isPresent()));
    assertThat(held)
        .allSatisfy(c -> assertThat(startedWithExternalId(control, c.callSid())).isPresent());
    SimulatedCall extra = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
    CloseStatus refused = closeOf(extra);
    assertThat(refused.code()).isEqualTo(1013);
    assertThat(refused.reason()).isEqualTo("max concurrent calls (6) reached");
    assertThat(held).allSatisfy(c -> assertThat(c.closed()).isNotDone());
    held.forEach(SimulatedCall::sendStop);
    for (SimulatedCall c : held) {
      assertThat(closeOf(c).code()).isEqualTo(1000);
    }
  }
}
