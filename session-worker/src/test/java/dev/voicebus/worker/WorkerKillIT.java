package dev.voicebus.worker;

import static dev.voicebus.worker.FaultChecks.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.worker.FaultChecks.Failover;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two workers in separate JVMs, one live call on each partition; one worker is killed with SIGKILL
 * while both calls wait for a tool result. The killed worker's call resumes on the survivor with
 * its conversation replayed; the tool result, published after the kill, reaches the new session;
 * each tool runs once and the sandbox hears no caller frame twice or out of order.
 */
class WorkerKillIT {

  /** The test profiles with a tool deadline long enough to outlast the failover. */
  static Path profilesWithToolTimeout(String timeout) throws Exception {
    Path original = Path.of(WorkerKillIT.class.getResource("/test-profiles.json").toURI());
    String json = Files.readString(original);
    assertThat(json).contains("\"toolTimeout\": \"5s\"");
    Path copy = Files.createTempFile("profiles-", ".json");
    Files.writeString(
        copy, json.replace("\"toolTimeout\": \"5s\"", "\"toolTimeout\": \"" + timeout + "\""));
    return copy;
  }

  @Test
  void callsSurviveAKill9OfTheirWorkerWithAToolCallPending() throws Exception {
    // Failure detection is the group session timeout; brokers refuse sessions shorter than
    // group.min.session.timeout.ms (6 s by default), so this broker allows the 3 s the workers use.
    try (var cluster = EmbeddedKafkaBroker.start(Map.of("group.min.session.timeout.ms", "1000"));
        var sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
        var harness =
            new WorkerHarness(
                cluster,
                sandbox.baseUri(),
                WorkerHarness.tempDir(),
                Map.of(
                    "worker.session-timeout", "3s",
                    "worker.standby-replicas", "1",
                    "worker.profiles-file", profilesWithToolTimeout("30s").toString()),
                Workers.NONE);
        var a = WorkerProcess.start(harness.settings, "kill-a");
        var b = WorkerProcess.start(harness.settings, "kill-b")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 2);
      List<String> calls = List.of(FaultChecks.callOnPartition(0), FaultChecks.callOnPartition(1));
      for (String call : calls) {
        harness.startCall("support", call);
        harness.speak(call, 0, 1200, 800);
      }
      for (String call : calls) {
        await().atMost(WAIT).until(() -> harness.agentFinals(call).size() == 1);
      }

      // The callers give their order number; the tool executor is slow, so both lookups are
      // pending when worker a dies. The callers stay on the line, silent, through the failover.
      harness.answerTools.set(false);
      List<CompletableFuture<Long>> callers =
          calls.stream().map(c -> harness.speakInRealTime(c, 100, 300, 1000, 9000)).toList();
      await().atMost(WAIT).until(() -> harness.toolCalls.size() == 2);
      Thread.sleep(300);
      Instant killedAt = Instant.now();
      a.kill();
      assertThat(a.isAlive()).isFalse();

      Failover moved = FaultChecks.awaitFailover(harness, calls);
      System.out.printf(
          "kill -9 -> audio flowing to the new session: %d ms (session gap %d ms, %d items replayed)%n",
          Duration.between(killedAt, moved.resumedAt()).toMillis(),
          moved.event().getGapMs(),
          moved.event().getReplayedItems());
      // Caller turn, agent turn, caller turn, the pending function call, the resume note.
      assertThat(moved.event().getReplayedItems()).isEqualTo(5);

      for (ToolCall pending : List.copyOf(harness.toolCalls)) {
        harness.answer(pending);
      }
      for (int i = 0; i < calls.size(); i++) {
        String call = calls.get(i);
        await()
            .atMost(WAIT)
            .until(() -> harness.agentFinals(call).stream().anyMatch(t -> t.contains("shipped")));
        long next = callers.get(i).join();
        harness.endCall(call, next - 1);
        // Frames the dead worker had taken but not yet sent are gone with its session.
        FaultChecks.assertCallComplete(harness, sandbox, call, next, !call.equals(moved.callId()));
      }
      List<String> sessions = harness.sessionIds(moved.callId());
      assertThat(sessions).hasSize(2);
      assertThat(sandbox.session(sessions.get(1)).orElseThrow().functionOutputs())
          .as("the tool result reached the new session")
          .hasSize(1);
      assertThat(b.isAlive()).isTrue();
    }
  }
}
