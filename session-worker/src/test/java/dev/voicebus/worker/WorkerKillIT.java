package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Two workers in separate JVMs, one live call on each partition; one worker is killed with SIGKILL
 * mid-call. Both calls must finish with their whole conversation, the killed worker's call resumed
 * on the survivor with its conversation replayed, and each tool call run once.
 */
class WorkerKillIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void callsSurviveAKill9OfTheirWorker() throws Exception {
    // Failure detection is the group session timeout; brokers refuse sessions shorter than
    // group.min.session.timeout.ms (6 s by default), so this broker allows the 3 s the workers use.
    try (var cluster = EmbeddedKafkaBroker.start(Map.of("group.min.session.timeout.ms", "1000"));
        var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of("worker.session-timeout", "3s"),
                Workers.NONE);
        var a = WorkerProcess.start(harness.settings, "worker-a");
        var b = WorkerProcess.start(harness.settings, "worker-b")) {
      awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 2);
      List<String> calls = List.of(callOnPartition(0), callOnPartition(1));
      long[] seq = new long[2];
      for (int i = 0; i < 2; i++) {
        harness.startCall("support", calls.get(i));
        seq[i] = harness.speak(calls.get(i), 0, 1200, 800);
      }
      for (String call : calls) {
        await().atMost(WAIT).until(() -> harness.agentFinals(call).size() == 1);
      }

      // Kill while the agent's first answer is still playing to the callers (it lasts ~5.7 s), not
      // in the first milliseconds after its transcript: a turn reaches the state changelog a few
      // milliseconds after it is published, and a crash inside that window loses it from the
      // replay.
      Thread.sleep(1000);
      Instant killedAt = Instant.now();
      a.kill();
      assertThat(a.isAlive()).isFalse();
      await()
          .atMost(WAIT)
          .until(() -> calls.stream().anyMatch(c -> !failovers(harness, c).isEmpty()));
      SessionReconnect failover =
          calls.stream().flatMap(c -> failovers(harness, c).stream()).findFirst().orElseThrow();
      String movedCall =
          calls.stream().filter(c -> !failovers(harness, c).isEmpty()).findFirst().orElseThrow();
      Instant resumedAt =
          harness.eventsOf(movedCall).stream()
              .filter(e -> e.getEvent() instanceof SessionReconnect)
              .map(e -> e.getAt())
              .findFirst()
              .orElseThrow();
      System.out.printf(
          "kill -9 -> audio flowing to the new session: %d ms (session gap %d ms, %d items replayed)%n",
          Duration.between(killedAt, resumedAt).toMillis(),
          failover.getGapMs(),
          failover.getReplayedItems());
      assertThat(failover.getReplayedItems()).isEqualTo(3);

      for (int i = 0; i < 2; i++) {
        seq[i] = harness.speak(calls.get(i), seq[i], 1000, 800);
      }
      for (int i = 0; i < 2; i++) {
        String call = calls.get(i);
        await()
            .atMost(WAIT)
            .until(() -> harness.agentFinals(call).stream().anyMatch(t -> t.contains("shipped")));
        harness.endCall(call, seq[i] - 1);
      }
      for (String call : calls) {
        await().atMost(WAIT).until(() -> harness.summary(call) != null);
        assertThat(harness.toolCalls.stream().filter(c -> c.getCallId().equals(call)))
            .as(call)
            .hasSize(1);
        assertThat(harness.agentFinals(call))
            .as(call)
            .containsExactly(
                "Hello, thanks for calling Acme support. I can help with that. What is your order number?",
                "Thanks for waiting. Your order A1001 is shipped, and it should arrive tomorrow.");
      }
      assertThat(b.isAlive()).isTrue();
    }
  }

  private static String callOnPartition(int partition) {
    while (true) {
      String id = "call-" + UUID.randomUUID();
      if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
        return id;
      }
    }
  }

  private static void awaitStableGroup(KafkaCluster cluster, String groupId, int members) {
    try (var admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> {
                var group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                return group.groupState() == GroupState.STABLE && group.members().size() == members;
              });
    }
  }

  private static List<SessionReconnect> failovers(WorkerHarness harness, String callId) {
    return harness.reconnects(callId).stream()
        .filter(r -> r.getReason().equals("worker failover"))
        .toList();
  }
}
