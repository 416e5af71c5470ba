package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.testing.Executions;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An executor that crashes mid-batch loses no result, doubles none, and re-runs no tool. */
@ExtendWith(KafkaClusterExtension.class)
class ExecutorRestartIT {

  @Test
  void restartAfterACrashMidBatchPublishesEveryResultOnceAndRunsNoToolAgain(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      var config = harness.config("restart-1", Map.of());
      ToolExecutorService first = harness.start(config);
      String callId = "call-restart-" + System.nanoTime(); // one key: one partition, in order
      Instant deadline = Instant.now().plusSeconds(60);
      List<ToolCall> calls = new ArrayList<>();
      calls.add(ExecutorHarness.call(callId, "gate_test", "{\"hold\": true}", deadline));
      for (int i = 0; i < 4; i++) {
        calls.add(ExecutorHarness.call(callId, "gate_test", "{\"hold\": false}", deadline));
      }
      calls.forEach(harness::send);

      // The four quick calls commit their results; the held one keeps the offset from moving.
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInSameThread()
          .until(() -> harness.committedResults().size() == 4);
      assertThat(Executions.of(calls.get(0).getToolCallId())).isEqualTo(1);
      first.halt();
      first.close();

      harness.start(config);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .until(() -> harness.committedResults().size() >= 5);

      Map<String, Long> resultsPerCall =
          harness.committedResults().stream()
              .collect(Collectors.groupingBy(ToolResult::getToolCallId, Collectors.counting()));
      assertThat(resultsPerCall)
          .containsOnlyKeys(calls.stream().map(ToolCall::getToolCallId).toList())
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
      for (ToolCall quick : calls.subList(1, calls.size())) {
        assertThat(Executions.of(quick.getToolCallId()))
            .as("runs of a committed call")
            .isEqualTo(1);
      }
      // The held call started but never answered before the crash: gate_test is not idempotent,
      // so the restarted executor does not run it again; it says the outcome is unknown.
      assertThat(Executions.of(calls.get(0).getToolCallId())).isEqualTo(1);
      Map<String, ToolResult> byId =
          harness.committedResults().stream()
              .collect(Collectors.toMap(ToolResult::getToolCallId, Function.identity()));
      ToolResult held = byId.get(calls.get(0).getToolCallId());
      assertThat(held.getStatus()).isEqualTo(ToolStatus.ERROR);
      assertThat(held.getOutputJson()).contains("\"error\":\"outcome_unknown\"");
      for (ToolCall quick : calls.subList(1, calls.size())) {
        assertThat(byId.get(quick.getToolCallId()).getStatus()).isEqualTo(ToolStatus.OK);
      }
    }
  }

  @Test
  void anOpenTransactionOfTheCrashedInstanceIsAbortedOnRestart(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      var config = harness.config("zombie-1", Map.of());
      Map<String, Object> zombieConfig = harness.kafka().clientConfig();
      zombieConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
      var zombie =
          new KafkaProducer<>(zombieConfig, new ByteArraySerializer(), new ByteArraySerializer());
      ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"after the crash\"}");
      ToolResult uncommitted =
          ToolResult.newBuilder()
              .setCallId(call.getCallId())
              .setToolCallId(call.getToolCallId())
              .setName("echo_test")
              .setStatus(ToolStatus.OK)
              .setOutputJson("{\"echo\":\"from the dead instance\"}")
              .setCompletedAt(Instant.now())
              .build();
      zombie.initTransactions();
      zombie.beginTransaction();
      zombie.send(
          new ProducerRecord<>(
              harness.catalogue().name(Topics.TOOL_RESULTS),
              call.getCallId().getBytes(StandardCharsets.UTF_8),
              AvroSerde.of(ToolResult.class).encode(uncommitted)));
      zombie.flush(); // the instance "crashes" here, its transaction open

      harness.start(config);
      harness.send(call);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInSameThread()
          .until(() -> !harness.committedResults(call.getToolCallId()).isEmpty());

      List<ToolResult> results = harness.committedResults(call.getToolCallId());
      assertThat(results).hasSize(1);
      assertThat(results.get(0).getOutputJson()).contains("after the crash");
      assertThatThrownBy(zombie::commitTransaction).isInstanceOf(KafkaException.class);
      zombie.close(Duration.ZERO);
    }
  }
}
