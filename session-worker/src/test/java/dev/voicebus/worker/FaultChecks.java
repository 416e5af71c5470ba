package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionReconnect;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.utils.Utils;

/**
 * What every failure test of the worker checks and needs: calls placed on a chosen partition, a
 * stable consumer group, the failover a call went through, and the call's end state (its whole
 * conversation, its tool run once, its audio at the sandbox once and in order).
 */
final class FaultChecks {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final String GREETING =
      "Hello, thanks for calling Acme support. I can help with that. What is your order number?";
  static final String ANSWER =
      "Thanks for waiting. Your order A1001 is shipped, and it should arrive tomorrow.";

  private FaultChecks() {}

  /** A call id that the default partitioner puts on {@code partition} of a 2-partition topic. */
  static String callOnPartition(int partition) {
    while (true) {
      String id = "call-" + UUID.randomUUID();
      if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
        return id;
      }
    }
  }

  static void awaitStableGroup(KafkaCluster cluster, String groupId, int members) {
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

  /** The first session resumed on another worker for any of {@code calls}, once there is one. */
  static Failover awaitFailover(WorkerHarness harness, List<String> calls) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                calls.stream().flatMap(c -> failover(harness, c).stream()).findFirst().orElse(null),
            f -> f != null);
  }

  private static Optional<Failover> failover(WorkerHarness harness, String callId) {
    return harness.eventsOf(callId).stream()
        .filter(
            e ->
                e.getEvent() instanceof SessionReconnect r
                    && r.getReason().equals("worker failover"))
        .findFirst()
        .map(e -> new Failover(callId, e.getAt(), (SessionReconnect) e.getEvent()));
  }

  /**
   * A call resumed on a new owner.
   *
   * @param callId the call
   * @param resumedAt when the new session was open, the conversation replayed and audio flowing
   * @param event the reconnect event
   */
  record Failover(String callId, Instant resumedAt, SessionReconnect event) {}

  /** When the old owner closed the call's session on a hand-over, if it did (not after a kill). */
  static Optional<Instant> handedOverAt(WorkerHarness harness, String callId) {
    return harness.eventsOf(callId).stream()
        .filter(
            e ->
                e.getEvent() instanceof dev.voicebus.avro.SessionLifecycle l
                    && "handed over".equals(l.getDetail()))
        .map(SessionEvent::getAt)
        .findFirst();
  }

  /**
   * The call finished with both agent turns and one lookup_order run, and each of its Realtime
   * sessions heard the caller's frames once and in order, the last one every frame from its first
   * to the end. {@code lossless} (planned hand-overs) requires more: across all sessions together,
   * every frame {@code 0..framesSent-1} exactly once, in order. After a kill -9 the dead worker's
   * last frames may also reach the new session (they were sent to the old one but not yet recorded
   * as sent), which the model of the new session hears once.
   */
  static void assertCallComplete(
      WorkerHarness harness,
      RealtimeSandbox sandbox,
      String callId,
      long framesSent,
      boolean lossless) {
    await().atMost(WAIT).until(() -> harness.summary(callId) != null);
    assertThat(harness.agentFinals(callId)).as(callId).containsExactly(GREETING, ANSWER);
    assertThat(harness.toolCalls.stream().filter(c -> c.getCallId().equals(callId)))
        .as("tool calls of " + callId)
        .hasSize(1);
    List<List<Long>> sessions = harness.framesBySession(sandbox, callId);
    for (List<Long> frames : sessions) {
      assertThat(frames).as("frames of a session of %s", callId).isSorted().doesNotHaveDuplicates();
    }
    List<Long> last = sessions.get(sessions.size() - 1);
    assertThat(last)
        .as("frames of the last session of %s", callId)
        .isNotEmpty()
        .containsExactlyElementsOf(LongStream.range(last.get(0), framesSent).boxed().toList());
    if (lossless) {
      assertThat(sessions.stream().flatMap(List::stream))
          .as("frames of %s at the sandbox, all sessions", callId)
          .containsExactlyElementsOf(LongStream.range(0, framesSent).boxed().toList());
    }
  }
}
