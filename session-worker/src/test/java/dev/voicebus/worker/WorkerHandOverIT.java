package dev.voicebus.worker;

import static dev.voicebus.worker.FaultChecks.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.worker.FaultChecks.Failover;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Planned moves of live calls between worker processes: a worker stopped with SIGTERM, and a worker
 * added mid-call. Callers keep talking in real time through the move; each moved call is resumed
 * with its conversation replayed, and the sandbox receives every caller frame exactly once, in
 * order, across the old and the new session.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerHandOverIT {

  @Test
  void sigtermHandsTheCallsOverWithoutLosingAFrame(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of("worker.standby-replicas", "1"),
                Workers.NONE);
        var a = WorkerProcess.start(harness.settings, "handover-a");
        var b = WorkerProcess.start(harness.settings, "handover-b")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 2);
      List<String> calls = greetBothPartitions(harness);

      // Both callers stay on the line, silent until the stopped worker's call has moved, then give
      // their order number.
      List<CompletableFuture<Long>> callers = talkAfterAMove(harness, calls);
      Thread.sleep(300);
      Instant stoppedAt = Instant.now();
      a.terminate();
      Failover moved = FaultChecks.awaitFailover(harness, calls);
      assertThat(a.awaitExit(WAIT)).as("worker a exits after SIGTERM").isTrue();
      Instant closed = FaultChecks.handedOverAt(harness, moved.callId()).orElseThrow();
      long handOverMs = Duration.between(stoppedAt, moved.resumedAt()).toMillis();
      System.out.printf(
          "SIGTERM -> audio flowing to the new session: %d ms (old session closed after %d ms)%n",
          handOverMs, Duration.between(stoppedAt, closed).toMillis());
      // Below the 6 s session timeout: the worker left the group instead of being timed out.
      assertThat(handOverMs).isLessThan(5000);
      assertThat(moved.event().getReplayedItems()).as("caller, agent, resume note").isEqualTo(3);

      finish(harness, sandbox, calls, callers);
      assertThat(b.isAlive()).isTrue();
    }
  }

  @Test
  void aWorkerAddedMidCallTakesItsShareOfTheCalls(KafkaCluster cluster) throws Exception {
    try (var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of("worker.standby-replicas", "1"),
                Workers.NONE);
        var a = WorkerProcess.start(harness.settings, "scaleout-a")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 1);
      List<String> calls = greetBothPartitions(harness);

      // The callers stay silent on the line while the new worker's JVM starts and joins.
      List<CompletableFuture<Long>> callers = talkAfterAMove(harness, calls);
      try (var b = WorkerProcess.start(harness.settings, "scaleout-b")) {
        Failover moved = FaultChecks.awaitFailover(harness, calls);
        Instant closed = FaultChecks.handedOverAt(harness, moved.callId()).orElseThrow();
        long handOverMs = Duration.between(closed, moved.resumedAt()).toMillis();
        System.out.printf(
            "scale-out: old session closed -> audio flowing to the new session: %d ms%n",
            handOverMs);
        assertThat(handOverMs).isLessThan(5000);
        assertThat(moved.event().getReplayedItems()).isEqualTo(3);

        finish(harness, sandbox, calls, callers);
        assertThat(a.isAlive()).isTrue();
        assertThat(b.isAlive()).isTrue();
        String stayed = calls.stream().filter(c -> !c.equals(moved.callId())).findFirst().get();
        assertThat(harness.reconnects(stayed)).as("the call that stayed").isEmpty();
      }
    }
  }

  /** One call per partition, each through its first turn (the greeting, fully spoken). */
  private static List<String> greetBothPartitions(WorkerHarness harness) {
    List<String> calls = List.of(FaultChecks.callOnPartition(0), FaultChecks.callOnPartition(1));
    for (String call : calls) {
      harness.startCall("support", call);
      harness.speak(call, 0, 1200, 800);
    }
    for (String call : calls) {
      await().atMost(WAIT).until(() -> harness.agentFinals(call).size() == 1);
    }
    return calls;
  }

  /**
   * Each caller streams silence until one of the calls has moved to another worker, then gives its
   * order number: frames cross the hand-over, and the utterance is heard whole by one session
   * however long the move takes (audio spoken into a session that then breaks, before it became a
   * turn, is not replayed).
   */
  private static List<CompletableFuture<Long>> talkAfterAMove(
      WorkerHarness harness, List<String> calls) {
    return calls.stream()
        .map(
            c ->
                harness.speakInRealTimeWhen(
                    c,
                    100,
                    () -> calls.stream().anyMatch(call -> !harness.reconnects(call).isEmpty()),
                    1000,
                    800))
        .toList();
  }

  private static void finish(
      WorkerHarness harness,
      RealtimeSandbox sandbox,
      List<String> calls,
      List<CompletableFuture<Long>> callers) {
    for (int i = 0; i < calls.size(); i++) {
      String call = calls.get(i);
      long next = callers.get(i).join();
      await()
          .atMost(WAIT)
          .alias("the agent's answer on " + call)
          .conditionEvaluationListener(
              condition -> {
                if (condition.getRemainingTimeInMS() <= condition.getPollInterval().toMillis()) {
                  harness.transcriptsOf(call).stream()
                      .filter(t -> t.getKind() == dev.voicebus.avro.TranscriptKind.FINAL)
                      .forEach(t -> System.out.println("transcript so far: " + t));
                  harness.eventsOf(call).forEach(e -> System.out.println("event so far: " + e));
                  for (String id : harness.sessionIds(call)) {
                    var r = sandbox.session(id).orElseThrow();
                    System.out.println(
                        "DEBUG recv "
                            + r.receivedEventTypes().stream()
                                .filter(t -> !t.equals("input_audio_buffer.append"))
                                .toList());
                    System.out.println(
                        "DEBUG sent "
                            + r.sentEventTypes().stream()
                                .filter(t -> !t.contains("delta"))
                                .toList());
                    System.out.println("sandbox function outputs " + r.functionOutputs());
                  }
                }
              })
          .until(() -> harness.agentFinals(call).stream().anyMatch(t -> t.contains("shipped")));
      harness.endCall(call, next - 1);
      FaultChecks.assertCallComplete(harness, sandbox, call, next, true);
    }
  }
}
