package dev.voicebus.worker;

import static dev.voicebus.worker.FaultChecks.GREETING;
import static dev.voicebus.worker.FaultChecks.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Realtime server ends a session while the agent is speaking: with 1011 (server error) or by
 * dropping the connection without a close frame (1006). The worker, in its own JVM, settles the cut
 * response as interrupted with what the caller was sent of it, reconnects, replays the conversation
 * including the cut line, and asks the new session to go on; the call completes.
 */
@ExtendWith(KafkaClusterExtension.class)
class RealtimeDropIT {

  @ParameterizedTest
  @ValueSource(ints = {1011, 1006})
  void aSessionEndedMidResponseIsSettledAndTheCallGoesOn(int code, KafkaCluster cluster)
      throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster, sandbox.baseUri(), WorkerHarness.tempDir(), Map.of(), Workers.NONE);
        var worker = WorkerProcess.start(harness.settings, "drop-" + code)) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 1);
      String call = harness.startCall("support");
      long seq = harness.speak(call, 0, 1200, 800);
      await().atMost(WAIT).until(() -> agentDeltas(harness, call) > 0);
      String first = harness.sessionIds(call).get(0);
      assertThat(sandbox.endSession(first, code, "server error")).isTrue();

      await().atMost(WAIT).until(() -> !harness.reconnects(call).isEmpty());
      SessionReconnect reconnect = harness.reconnects(call).get(0);
      assertThat(reconnect.getCloseCode()).isEqualTo(code);
      assertThat(reconnect.getReason()).startsWith("socket closed");
      assertThat(reconnect.getReplayedItems()).as("caller, the cut agent line, note").isEqualTo(3);
      System.out.printf(
          "Realtime %d mid-response -> new session with replay: %d ms%n",
          code, reconnect.getGapMs());

      List<TranscriptEvent> cut =
          harness.transcriptsOf(call).stream().filter(TranscriptEvent::getInterrupted).toList();
      assertThat(cut).hasSize(1);
      assertThat(cut.get(0).getRole()).isEqualTo(Speaker.AGENT);
      assertThat(GREETING).startsWith(cut.get(0).getText()).isNotEqualTo(cut.get(0).getText());

      // The agent says its line again on the new session, then the call goes on as scripted.
      await().atMost(WAIT).until(() -> harness.agentFinals(call).size() == 1);
      seq = harness.speak(call, seq, 1000, 800);
      await()
          .atMost(WAIT)
          .until(() -> harness.agentFinals(call).stream().anyMatch(t -> t.contains("shipped")));
      harness.endCall(call, seq - 1);
      FaultChecks.assertCallComplete(harness, sandbox, call, seq, true);
      assertThat(harness.sessionIds(call)).hasSize(2);
      assertThat(worker.isAlive()).isTrue();
    }
  }

  private static long agentDeltas(WorkerHarness harness, String call) {
    return harness.transcriptsOf(call).stream()
        .filter(t -> t.getRole() == Speaker.AGENT && t.getKind() == TranscriptKind.DELTA)
        .count();
  }
}
