package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.testing.PoisonRecords.Poison;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.testing.ExecutorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile records on the topics the executor reads (tool.calls, and tool.dedupe when it restores)
 * are dead-lettered with their reason; the calls around them are answered and the loop never dies.
 */
@ExtendWith(KafkaClusterExtension.class)
class PoisonRecordsIT {

  private static final AvroSerde<ToolCall> CALLS = AvroSerde.of(ToolCall.class);

  @Test
  void everyPoisonToolCallIsDeadLetteredWithItsReasonAndTheCallsAroundItAreAnswered(
      KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      ToolExecutorService executor = harness.start(harness.config("poison-1", Map.of()));
      String callId = "call-poison-" + System.nanoTime(); // one key: one partition, in order
      Instant deadline = Instant.now().plusSeconds(60);
      ToolCall sample = ExecutorHarness.call(callId, "echo_test", "{\"text\":\"x\"}", deadline);
      List<Poison> corpus = PoisonRecords.all(CALLS, sample, callId);
      List<ToolCall> good = new ArrayList<>();
      for (Poison poison : corpus) {
        ToolCall before = ExecutorHarness.call(callId, "echo_test", "{\"text\":\"ok\"}", deadline);
        good.add(before);
        harness.send(before);
        harness.sendRaw(harness.catalogue().name(Topics.TOOL_CALLS), poison.key(), poison.value());
      }
      ToolCall last = ExecutorHarness.call(callId, "echo_test", "{\"text\":\"last\"}", deadline);
      good.add(last);
      harness.send(last);

      for (ToolCall call : good) {
        ToolResult result =
            await()
                .atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .until(() -> harness.committedResults(call.getToolCallId()), r -> !r.isEmpty())
                .get(0);
        assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
      }
      List<ConsumerRecord<byte[], byte[]>> dead = harness.deadLetters();
      for (Poison poison : corpus) {
        var record =
            dead.stream()
                .filter(d -> sameRecord(d, poison))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + poison));
        assertThat(header(record, DeadLetterHeaders.STAGE)).isEqualTo("decode");
        assertThat(header(record, DeadLetterHeaders.ERROR))
            .as(poison.toString())
            .contains(poison.kind().reason());
      }
      assertThat(executor.loopRestarts()).isZero();
      assertThat(executor.healthProblem()).isEmpty();
    }
  }

  @Test
  void poisonInTheDedupeTopicIsDeadLetteredOnceAndRestoringGoesOn(KafkaCluster cluster) {
    try (var harness = new ExecutorHarness(cluster)) {
      String dedupe = harness.catalogue().name(Topics.TOOL_DEDUPE);
      String callId = "call-dedupe-poison";
      ToolResult sample =
          ToolResult.newBuilder()
              .setCallId(callId)
              .setToolCallId("tc-poison")
              .setName("echo_test")
              .setStatus(ToolStatus.OK)
              .setOutputJson("{}")
              .setCompletedAt(Instant.now())
              .build();
      byte[] valid = AvroSerde.of(ToolResult.class).encode(sample);
      byte[] key = "tc-poison".getBytes(StandardCharsets.UTF_8);
      byte[] huge = PoisonRecords.declaredLength(valid, callId, PoisonRecords.HUGE_DECLARED_LENGTH);
      var unknownPhase = new ProducerRecord<>(dedupe, 0, key, valid);
      unknownPhase.headers().add(DedupeStore.PHASE_HEADER, "halfway".getBytes());
      harness.sendRaw(new ProducerRecord<>(dedupe, 0, key, PoisonRecords.garbage()));
      harness.sendRaw(new ProducerRecord<>(dedupe, 1, key, huge));
      harness.sendRaw(unknownPhase);

      ToolExecutorService executor = harness.start(harness.config("dedupe-poison-1", Map.of()));
      ToolCall call = ExecutorHarness.call("echo_test", "{\"text\":\"after poison\"}");
      harness.send(call);

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .until(() -> !harness.committedResults(call.getToolCallId()).isEmpty());
      List<ConsumerRecord<byte[], byte[]>> dead =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInSameThread()
              .until(
                  () ->
                      harness.deadLetters().stream()
                          .filter(d -> dedupe.equals(header(d, DeadLetterHeaders.TOPIC)))
                          .toList(),
                  d -> d.size() >= 3);
      assertThat(dead).hasSize(3);
      assertThat(dead)
          .extracting(d -> header(d, DeadLetterHeaders.ERROR))
          .anySatisfy(e -> assertThat(e).contains("Cannot decode ToolResult"))
          .anySatisfy(e -> assertThat(e).contains("1500000000"))
          .anySatisfy(e -> assertThat(e).contains("Unknown voicebus.tool.phase 'HALFWAY'"));
      assertThat(executor.loopRestarts()).isZero();
    }
  }

  private static boolean sameRecord(ConsumerRecord<byte[], byte[]> dead, Poison poison) {
    if (!Arrays.equals(dead.key(), poison.key())) {
      return false;
    }
    if (poison.value() == null || dead.value() == null) {
      return poison.value() == dead.value();
    }
    int copied = Math.min(poison.value().length, DeadLetterPublisher.MAX_VALUE_BYTES);
    return Arrays.equals(dead.value(), Arrays.copyOf(poison.value(), copied));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
