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
 * A call survives losing its worker while the agent speaks: the worker stops (hand-over), the
 * agent's cut line is settled as interrupted, and the survivor reopens the Realtime session,
 * replays the conversation so far including the cut line, asks for a response (the agent says its
 * line again) and carries the call through its tool call to the end. Separate-JVM versions of the
 * failures are in WorkerHandOverIT and WorkerKillIT.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerFailoverIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aStoppedWorkersCallContinuesOnTheSurvivorWithTheConversationReplayed(KafkaCluster cluster)
      throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir())) {
      try (var survivor = harness.newWorker(WorkerHarness.tempDir())) {
        survivor.start();
        await().atMost(WAIT).until(() -> survivor.state() == KafkaStreams.State.RUNNING);
        await().atMost(WAIT).until(() -> harness.worker.state() == KafkaStreams.State.RUNNING);
        // One call per partition, so one of them is on the worker that stops.
        List<String> calls =
            List.of(FaultChecks.callOnPartition(0), FaultChecks.callOnPartition(1));
        for (String call : calls) {
          harness.startCall("support", call);
          harness.speak(call, 0, 1200, 800);
        }
        // The first worker stops while the agent is still speaking its greeting, after the caller
        // has heard some of it (with nothing heard, the cut line would be empty and not replayed).
        await()
            .atMost(WAIT)
            .until(() -> calls.stream().allMatch(c -> agentAudioMs(harness, c) >= 600));
        harness.worker.close();

        String callId =
            await()
                .atMost(WAIT)
                .until(
                    () ->
                        calls.stream()
                            .filter(c -> !harness.reconnects(c).isEmpty())
                            .findFirst()
                            .orElse(null),
                    c -> c != null);
        long seq = 100;
        SessionReconnect reconnect = harness.reconnects(callId).get(0);
        assertThat(reconnect.getReason()).isEqualTo("worker failover");
        assertThat(reconnect.getReplayedItems())
            .as("caller turn, the agent's cut line, resume note")
            .isEqualTo(3);
        List<TranscriptEvent> cut =
            harness.transcriptsOf(callId).stream().filter(TranscriptEvent::getInterrupted).toList();
        assertThat(cut).hasSize(1);
        assertThat(FaultChecks.GREETING).startsWith(cut.get(0).getText());

        // The new owner asks for a response after the replay: the agent says its line again.
        await().atMost(WAIT).until(() -> harness.agentFinals(callId).size() == 1);
        assertThat(harness.agentFinals(callId)).containsExactly(FaultChecks.GREETING);
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
        assertThat(harness.summary(callId).getToolCalls()).isEqualTo(1);
      }
    }
  }

  private static long agentAudioMs(WorkerHarness harness, String callId) {
    return harness.audioOutOf(callId).stream()
        .filter(o -> o.getEvent() instanceof dev.voicebus.avro.AgentAudio)
        .mapToLong(o -> ((dev.voicebus.avro.AgentAudio) o.getEvent()).getDurationMs())
        .sum();
  }

  private static List<String> sessionIds(WorkerHarness harness, String callId) {
    return harness.eventsOf(callId).stream()
        .filter(
            e -> e.getEvent() instanceof SessionLifecycle l && l.getPhase() == SessionPhase.CREATED)
        .map(e -> e.getSessionId())
        .toList();
  }
}
