package dev.voicebus.worker;

import static dev.voicebus.worker.FaultChecks.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.sip.SipCallState;
import dev.voicebus.realtime.sandbox.sip.SipCallView;
import dev.voicebus.realtime.sandbox.sip.SipEndReason;
import dev.voicebus.worker.session.CallFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIP calls through the worker on the real broker and the sandbox's emulation of OpenAI's SIP path
 * (its webhook delivered over HTTP to an ingest stand-in that publishes the CallStarted): the
 * worker accepts each call with its profile's session configuration, attaches the sideband, and the
 * simulated caller's script runs to its end, with transcripts, tools, keypad, transfer and hang-up
 * on the topics, and the call's end on call.control. No audio topic is written.
 */
@ExtendWith(KafkaClusterExtension.class)
class SipCallIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSipCallIsAcceptedWithTheProfilesConfigAndRunsWithTranscriptsAToolAndItsEnd(
      KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
        var ingest = new SipIngestStandIn(harness, sandbox, "support")) {
      String callId = ingest.placeCall(sandbox, "default", null);
      SipCallView view = awaitEnded(sandbox, ingest.openAiCallId(callId));

      // The caller hung up at the end of the script: OpenAI ended the call, the worker said so.
      assertThat(view.endReason()).isEqualTo(SipEndReason.CALLER_HUNG_UP);
      CallEnded ended = awaitEnd(harness, callId);
      assertThat(ended.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
      assertThat(harness.endsOf(callId)).hasSize(1);

      JsonNode accepted =
          JSON.readTree(sandbox.session(view.sessionId()).orElseThrow().acceptedConfig());
      var profile = CallFixture.profiles().find("support").orElseThrow();
      assertThat(accepted.path("type").asText()).isEqualTo("realtime");
      assertThat(accepted.path("instructions").asText()).isEqualTo(profile.instructions());
      assertThat(accepted.path("tools").findValuesAsText("name"))
          .containsExactly("lookup_order", "get_current_time", "end_call");
      assertThat(accepted.path("audio").path("input").path("transcription").path("model").asText())
          .isEqualTo("gpt-4o-mini-transcribe");

      List<ToolCall> tools =
          harness.toolCalls.stream().filter(c -> c.getCallId().equals(callId)).toList();
      assertThat(tools).extracting(ToolCall::getName).containsExactly("lookup_order");
      assertThat(tools.get(0).getExternalCallId()).isEqualTo(view.callId());
      assertThat(sandbox.session(view.sessionId()).orElseThrow().functionOutputs()).hasSize(1);
      assertThat(sandbox.session(view.sessionId()).orElseThrow().errorCodes())
          .as("the sandbox refused none of the worker's client events")
          .isEmpty();
      assertThat(harness.agentFinals(callId))
          .anySatisfy(t -> assertThat(t).contains("shipped"))
          .last()
          .asString()
          .contains("goodbye");
      List<String> callerFinals = finals(harness, callId, Speaker.CALLER);
      assertThat(callerFinals).hasSize(3);
      assertThat(harness.transcriptsOf(callId))
          .as("the card number is redacted before it is published")
          .noneSatisfy(t -> assertThat(t.getText()).contains("4111"));
      assertThat(harness.eventsOf(callId))
          .anySatisfy(e -> assertThat(e.getEvent()).isInstanceOf(SessionUsage.class));
      await().atMost(WAIT).until(() -> harness.summary(callId) != null);
      assertThat(harness.audioOutOf(callId)).as("no audio topics for SIP calls").isEmpty();
    }
  }

  @Test
  void keysThePhoneCallerPressesReachTheModel(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
        var ingest = new SipIngestStandIn(harness, sandbox, "support")) {
      String callId = ingest.placeCall(sandbox, "pin", null);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  harness.agentFinals(callId).stream().anyMatch(t -> t.contains("PIN is correct")));
      SipCallView view = awaitEnded(sandbox, ingest.openAiCallId(callId));
      assertThat(sandbox.session(view.sessionId()).orElseThrow().receivedEventTypes())
          .contains("conversation.item.create");
      assertThat(awaitEnd(harness, callId).getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
    }
  }

  @Test
  void aTransferIsReferredAndEndsTheCallAsTransferred(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
        var ingest = new SipIngestStandIn(harness, sandbox, "desk")) {
      String callId = ingest.placeCall(sandbox, "transfer", null);

      SipCallView view = awaitEnded(sandbox, ingest.openAiCallId(callId));
      assertThat(view.endReason()).isEqualTo(SipEndReason.TRANSFERRED);
      assertThat(view.referredTo()).isEqualTo("tel:" + WorkerHarness.TRANSFER_TARGET);
      CallEnded ended = awaitEnd(harness, callId);
      assertThat(ended.getReason()).isEqualTo(CallEndReason.TRANSFERRED);
      assertThat(ended.getTransferTarget()).isEqualTo(WorkerHarness.TRANSFER_TARGET);
      assertThat(harness.agentFinals(callId))
          .as("the announcement was said before the REFER")
          .contains("Connecting you to billing now.");
    }
  }

  @Test
  void theAgentHangsUpThroughTheCallsApi(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
        var ingest = new SipIngestStandIn(harness, sandbox, "support")) {
      String callId = ingest.placeCall(sandbox, "tools", null);

      SipCallView view = awaitEnded(sandbox, ingest.openAiCallId(callId));
      assertThat(view.endReason()).isEqualTo(SipEndReason.HUNG_UP);
      assertThat(view.hungUp()).isTrue();
      assertThat(awaitEnd(harness, callId).getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
      assertThat(harness.agentFinals(callId)).last().isEqualTo("Goodbye!");
      assertThat(harness.toolCalls.stream().filter(c -> c.getCallId().equals(callId)))
          .extracting(ToolCall::getName)
          .containsExactly("get_current_time", "end_call");
    }
  }

  static SipCallView awaitEnded(RealtimeSandbox sandbox, String openAiCallId) {
    return await()
        .atMost(WAIT)
        .until(
            () -> sandbox.sip().call(openAiCallId).orElseThrow(),
            v -> v.state() == SipCallState.ENDED);
  }

  static CallEnded awaitEnd(WorkerHarness harness, String callId) {
    await().atMost(WAIT).until(() -> !harness.endsOf(callId).isEmpty());
    return harness.endsOf(callId).get(0);
  }

  private static List<String> finals(WorkerHarness harness, String callId, Speaker role) {
    List<String> out = new ArrayList<>();
    for (TranscriptEvent t : harness.transcriptsOf(callId)) {
      if (t.getRole() == role && t.getKind() == TranscriptKind.FINAL) {
        out.add(t.getText());
      }
    }
    return out;
  }
}
