package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Realtime server ends sessions at its cap (close 1001, as OpenAI does at 60 minutes; here
 * after a few seconds): the worker reconnects, replays the conversation, and the call goes on to
 * its tool call and the end with nothing said twice. The worker runs in its own JVM.
 */
@ExtendWith(KafkaClusterExtension.class)
class RealtimeReconnectIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aCallOutlivesSessionsThatTheServerClosesAtItsCap(KafkaCluster cluster) throws Exception {
    var faults = FaultConfig.NONE.withSessionCap(Duration.ofSeconds(4));
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults().withFaults(faults));
        var harness =
            new WorkerHarness(
                cluster, sandbox.baseUri(), WorkerHarness.tempDir(), Map.of(), Workers.NONE);
        var worker = WorkerProcess.start(harness.settings, "cap")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 1);
      String callId = harness.startCall("support");
      long seq = harness.speak(callId, 0, 1200, 800);
      await().atMost(WAIT).until(() -> harness.agentFinals(callId).size() == 1);

      await().atMost(WAIT).until(() -> !harness.reconnects(callId).isEmpty());
      SessionReconnect first = harness.reconnects(callId).get(0);
      assertThat(first.getCloseCode()).isEqualTo(1001);
      assertThat(first.getReason()).contains("maximum duration");
      assertThat(first.getReplayedItems()).isGreaterThanOrEqualTo(3);

      seq = harness.speak(callId, seq, 1000, 800);
      await()
          .atMost(WAIT)
          .until(() -> harness.agentFinals(callId).stream().anyMatch(t -> t.contains("shipped")));
      harness.endCall(callId, seq - 1);
      await().atMost(WAIT).until(() -> harness.summary(callId) != null);

      assertThat(harness.toolCalls.stream().filter(c -> c.getCallId().equals(callId))).hasSize(1);
      assertThat(harness.agentFinals(callId))
          .as("each agent line once, in order")
          .containsSubsequence(
              "Hello, thanks for calling Acme support. I can help with that. What is your order number?",
              "Thanks for waiting. Your order A1001 is shipped, and it should arrive tomorrow.")
          .doesNotHaveDuplicates();
      assertThat(harness.summary(callId).getReconnects())
          .isEqualTo(harness.reconnects(callId).size());
      FaultChecks.assertCallComplete(harness, sandbox, callId, seq, false);
    }
  }

  @Test
  void rotatesTheSessionBetweenTurnsBeforeTheCap(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of("worker.session-rotate-after", "3s"),
                Workers.NONE);
        var worker = WorkerProcess.start(harness.settings, "rotation")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 1);
      String callId = harness.startCall("support");
      long seq = harness.speak(callId, 0, 1200, 800);
      await().atMost(WAIT).until(() -> harness.agentFinals(callId).size() == 1);
      await().atMost(WAIT).until(() -> !harness.reconnects(callId).isEmpty());

      SessionReconnect rotation = harness.reconnects(callId).get(0);
      assertThat(rotation.getReason()).isEqualTo("proactive rotation");
      assertThat(rotation.getCloseCode()).isNull();
      assertThat(rotation.getReplayedItems()).isEqualTo(3);

      seq = harness.speak(callId, seq, 1000, 800);
      await()
          .atMost(WAIT)
          .until(() -> harness.agentFinals(callId).stream().anyMatch(t -> t.contains("shipped")));
      harness.endCall(callId, seq - 1);
      await().atMost(WAIT).until(() -> harness.summary(callId) != null);

      assertThat(harness.transcriptsOf(callId))
          .as("never rotated mid-sentence")
          .noneMatch(TranscriptEvent::getInterrupted);
      assertThat(sandbox.sessions().stream().filter(s -> s.isClosed()).count())
          .isGreaterThanOrEqualTo(2);
      // Rotation waits for a quiet moment, so no caller frame is lost either.
      FaultChecks.assertCallComplete(harness, sandbox, callId, seq, true);
    }
  }
}
