package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A call survives losing its worker: a second worker joins the group mid-call, the first one stops,
 * and the survivor reopens the Realtime session, replays the conversation so far, and carries the
 * call through its tool call to the end. (Separate-JVM kill -9 tests are issue #7.)
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerFailoverIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aStoppedWorkersCallContinuesOnTheSurvivorWithTheConversationReplayed(KafkaCluster cluster)
      throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir())) {
      String callId = harness.startCall("support");
      long seq = harness.speak(callId, 0, 1200, 800);
      await().atMost(WAIT).until(() -> harness.agentFinals(callId).size() == 1);

      try (var survivor = harness.newWorker(WorkerHarness.tempDir())) {
        survivor.start();
        await().atMost(WAIT).until(() -> survivor.state() == KafkaStreams.State.RUNNING);
        harness.worker.close();

        await().atMost(WAIT).until(() -> harness.reconnects(callId).size() == 1);
        SessionReconnect reconnect = harness.reconnects(callId).get(0);
        assertThat(reconnect.getReason()).isEqualTo("worker failover");
        assertThat(reconnect.getReplayedItems())
            .as("caller turn, agent turn, resume note")
            .isEqualTo(3);

        seq = harness.speak(callId, seq, 1000, 800);
        await().atMost(WAIT).until(() -> harness.agentFinals(callId).size() == 2);
        assertThat(harness.agentFinals(callId).get(1)).contains("Your order A1001 is shipped");
        harness.endCall(callId, seq - 1);
        await().atMost(WAIT).until(() -> harness.summary(callId) != null);

        List<String> sessions = sessionIds(harness, callId);
        assertThat(sessions).hasSize(2);
        var second = sandbox.session(sessions.get(1)).orElseThrow();
        assertThat(second.receivedEventTypes())
            .startsWith(
                "session.update",
                "conversation.item.create",
                "conversation.item.create",
                "conversation.item.create");
        assertThat(second.functionOutputs()).hasSize(1);
        assertThat(sandbox.session(sessions.get(0)).orElseThrow().isClosed()).isTrue();
        assertThat(harness.transcriptsOf(callId)).noneMatch(TranscriptEvent::getInterrupted);
        assertThat(harness.summary(callId).getToolCalls()).isEqualTo(1);
      }
    }
  }

  private static List<String> sessionIds(WorkerHarness harness, String callId) {
    return harness.eventsOf(callId).stream()
        .filter(
            e -> e.getEvent() instanceof SessionLifecycle l && l.getPhase() == SessionPhase.CREATED)
        .map(e -> e.getSessionId())
        .toList();
  }
}
