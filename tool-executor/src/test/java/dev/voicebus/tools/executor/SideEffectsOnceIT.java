package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.executor.DedupeStore.Phase;
import dev.voicebus.tools.testing.Executions;
import dev.voicebus.tools.testing.ExecutorHarness;
import dev.voicebus.tools.testing.HeldTool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failed transaction, a dead loop or a crashed executor never makes a tool that is not idempotent
 * run twice for one toolCallId: its call is answered from its first execution, or with
 * outcome_unknown if that execution's answer was lost. Idempotent tools may run again.
 */
@ExtendWith(KafkaClusterExtension.class)
class SideEffectsOnceIT {

  private static final AvroSerde<ToolResult> RESULTS = AvroSerde.of(ToolResult.class);

  private static List<ToolResult> awaitResults(ExecutorHarness harness, ToolCall call) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInSameThread()
        .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty());
  }

  @Test
  void aTransactionFencedAfterTheToolRanNeitherLosesItsResultNorRunsItAgain(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      var config = harness.config("fenced-1", Map.of());
      ToolExecutorService executor = harness.start(config);
      ToolCall call = ExecutorHarness.call("held_test", "{}");
      harness.send(call);
      await().atMost(Duration.ofSeconds(20)).until(() -> Executions.of(call.getToolCallId()) == 1);

      // Another producer with the executor's transactional.id fences it while the tool runs, so
      // the transaction carrying the tool's result fails after the side effect happened.
      try (var fencer = producer(harness, config.transactionalId())) {
        fencer.initTransactions();
        HeldTool.release(call.getToolCallId());

        List<ToolResult> results = awaitResults(harness, call);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getStatus()).isEqualTo(ToolStatus.OK);
        assertThat(results.get(0).getOutputJson()).contains("released 1");
      }
      assertThat(Executions.of(call.getToolCallId())).isEqualTo(1);
      assertThat(executor.loopRestarts()).isGreaterThanOrEqualTo(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> executor.healthProblem().isEmpty());
      // Later calls flow through the replacement loop.
      ToolCall next = ExecutorHarness.call("echo_test", "{\"text\":\"after the fence\"}");
      harness.send(next);
      assertThat(awaitResults(harness, next).get(0).getStatus()).isEqualTo(ToolStatus.OK);
    }
  }

  @Test
  void aCallWhoseOwnerCrashedAfterTheToolRanIsAnsweredFromTheRecordedResult(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      ToolCall call = ExecutorHarness.call("held_test", "{}");
      int partition = partitionOf(harness, call);
      ToolResult recorded =
          ToolResult.newBuilder()
              .setCallId(call.getCallId())
              .setToolCallId(call.getToolCallId())
              .setName("held_test")
              .setStatus(ToolStatus.OK)
              .setOutputJson("{\"result\":\"done by the crashed owner\"}")
              .setCompletedAt(Instant.now())
              .build();
      // What a crashed owner's journal left: started, then finished; never committed.
      journal(harness, partition, recorded, Phase.STARTED);
      journal(harness, partition, recorded, Phase.FINISHED);
      harness.send(call);

      harness.start(harness.config("successor-1", Map.of()));

      List<ToolResult> results = awaitResults(harness, call);
      assertThat(results).hasSize(1);
      assertThat(results.get(0).getOutputJson()).isEqualTo(recorded.getOutputJson());
      assertThat(Executions.of(call.getToolCallId())).isZero();
    }
  }

  @Test
  void aCrashWhileANonIdempotentToolRunsIsAnsweredOutcomeUnknownByTheNextOwner(
      KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      ToolExecutorService first = harness.start(harness.config("crash-a", Map.of()));
      ToolCall call = ExecutorHarness.call("held_test", "{}");
      harness.send(call);
      await().atMost(Duration.ofSeconds(20)).until(() -> Executions.of(call.getToolCallId()) == 1);
      first.halt();
      first.close();
      HeldTool.release(call.getToolCallId());

      harness.start(harness.config("crash-b", Map.of()));

      List<ToolResult> results = awaitResults(harness, call);
      assertThat(results).hasSize(1);
      assertThat(results.get(0).getStatus()).isEqualTo(ToolStatus.ERROR);
      assertThat(results.get(0).getOutputJson())
          .contains("\"error\":\"outcome_unknown\"")
          .contains("It was not run again.");
      assertThat(Executions.of(call.getToolCallId())).isEqualTo(1);
    }
  }

  @Test
  void anIdempotentToolInterruptedByACrashRunsAgainOnTheNextOwner(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      ToolExecutorService first = harness.start(harness.config("idem-a", Map.of()));
      ToolCall call = ExecutorHarness.call("held_idempotent_test", "{}");
      harness.send(call);
      await().atMost(Duration.ofSeconds(20)).until(() -> Executions.of(call.getToolCallId()) == 1);
      first.halt();
      first.close();
      HeldTool.release(call.getToolCallId());

      harness.start(harness.config("idem-b", Map.of()));

      List<ToolResult> results = awaitResults(harness, call);
      assertThat(results).hasSize(1);
      assertThat(results.get(0).getStatus()).isEqualTo(ToolStatus.OK);
      assertThat(results.get(0).getOutputJson()).contains("released 2");
      assertThat(Executions.of(call.getToolCallId())).isEqualTo(2);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(
      ExecutorHarness harness, String transactionalId) {
    Map<String, Object> config = harness.kafka().clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The tool.calls partition the default partitioner picks for the call's key. */
  private static int partitionOf(ExecutorHarness harness, ToolCall call) {
    int partitions = harness.catalogue().partitions(Topics.TOOL_CALLS);
    byte[] key = call.getCallId().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  private static void journal(
      ExecutorHarness harness, int partition, ToolResult result, Phase phase) {
    var record =
        new ProducerRecord<>(
            harness.catalogue().name(Topics.TOOL_DEDUPE),
            partition,
            result.getToolCallId().getBytes(StandardCharsets.UTF_8),
            RESULTS.encode(result));
    record.headers().add(DedupeStore.PHASE_HEADER, phase.header());
    record.headers().add(DedupeStore.SOURCE_OFFSET_HEADER, DedupeStore.offsetHeader(0));
    harness.sendRaw(record);
  }
}
