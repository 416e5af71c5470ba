package dev.voicebus.worker;

import static dev.voicebus.worker.FaultChecks.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.sip.SipCallView;
import dev.voicebus.realtime.sandbox.sip.SipEndReason;
import dev.voicebus.worker.FaultChecks.Failover;
import dev.voicebus.worker.WorkerHarness.Workers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two workers in separate JVMs, one SIP call on each partition; one worker is killed with SIGKILL
 * while both calls wait for a tool result. The survivor accepts the killed worker's call again
 * (OpenAI says it is accepted already), attaches a new sideband to the same call, and the tool
 * result published after the kill reaches the same OpenAI session: the call goes on to its end,
 * with nothing replayed.
 */
class SipWorkerKillIT {

  @Test
  void aSipCallContinuesOnTheSurvivorAfterAKill9WithItsToolResultDelivered() throws Exception {
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
                    "worker.profiles-file", WorkerKillIT.profilesWithToolTimeout("30s").toString()),
                Workers.NONE);
        var ingest = new SipIngestStandIn(harness, sandbox, "support");
        var a = WorkerProcess.start(harness.settings, "sip-kill-a");
        var b = WorkerProcess.start(harness.settings, "sip-kill-b")) {
      FaultChecks.awaitStableGroup(cluster, harness.settings.get("worker.application-id"), 2);
      // The tool executor is slow: both order lookups are pending when worker a dies.
      harness.answerTools.set(false);
      List<String> calls =
          List.of(
              ingest.placeCall(sandbox, "default", FaultChecks.callOnPartition(0)),
              ingest.placeCall(sandbox, "default", FaultChecks.callOnPartition(1)));
      await().atMost(WAIT).until(() -> harness.toolCalls.size() == 2);

      Instant killedAt = Instant.now();
      a.kill();
      assertThat(a.isAlive()).isFalse();

      Failover moved = FaultChecks.awaitFailover(harness, calls);
      System.out.printf(
          "kill -9 -> sideband re-attached: %d ms (gap %d ms, %d items replayed)%n",
          Duration.between(killedAt, moved.resumedAt()).toMillis(),
          moved.event().getGapMs(),
          moved.event().getReplayedItems());
      assertThat(moved.event().getReplayedItems()).as("the conversation lives at OpenAI").isZero();

      for (ToolCall pending : List.copyOf(harness.toolCalls)) {
        harness.answer(pending);
      }
      for (String call : calls) {
        await()
            .atMost(WAIT)
            .until(() -> harness.agentFinals(call).stream().anyMatch(t -> t.contains("shipped")));
        SipCallView view = SipCallIT.awaitEnded(sandbox, ingest.openAiCallId(call));
        assertThat(view.endReason()).isEqualTo(SipEndReason.CALLER_HUNG_UP);
        assertThat(SipCallIT.awaitEnd(harness, call).getReason())
            .isEqualTo(CallEndReason.CALLER_HANGUP);
        assertThat(sandbox.session(view.sessionId()).orElseThrow().functionOutputs())
            .as("each tool result reached the call's one session once")
            .hasSize(1);
        assertThat(harness.toolCalls.stream().filter(c -> c.getCallId().equals(call)))
            .as("each tool ran once")
            .hasSize(1);
      }
      SipCallView movedView = sandbox.sip().call(ingest.openAiCallId(moved.callId())).orElseThrow();
      assertThat(movedView.sidebands()).as("the survivor attached a second sideband").isEqualTo(2);
      assertThat(b.isAlive()).isTrue();
    }
  }
}
