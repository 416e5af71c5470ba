package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.testing.PoisonRecords.Poison;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and broken records on every topic the worker reads, while a well-behaved call talks to
 * the agent on the same worker: each poison is dead-lettered with its reason, the partition goes
 * on, the call is answered and ends normally; and a tool result the executor did not commit is
 * never acted on.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerPoisonIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RealtimeSandbox sandbox;
  private static WorkerHarness harness;
  private static KafkaProducer<byte[], byte[]> raw;

  @BeforeAll
  static void start(KafkaCluster cluster) throws Exception {
    sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
    harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
    raw =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                2_000_000),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void stop() throws Exception {
    raw.close();
    harness.close();
    sandbox.close();
  }

  @Test
  void poisonOnEveryInputIsDeadLetteredWhileABystanderCallIsAnswered() {
    String bystander = harness.startCall("support");
    String victim = "call-poisoned";
    List<Poison> sent = new ArrayList<>();
    sent.addAll(poison(Topics.CALL_CONTROL, control(victim), victim));
    sent.addAll(poison(Topics.AUDIO_IN, frame(victim), victim));
    sent.addAll(poison(Topics.TOOL_RESULTS, result(victim), victim));
    raw.flush();

    long seq = harness.speak(bystander, 0, 1200, 800);
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.agentFinals(bystander).stream()
                    .anyMatch(t -> t.contains("What is your order number?")));
    harness.endCall(bystander, seq - 1);
    await().atMost(WAIT).until(() -> harness.summary(bystander) != null);

    List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(sent.size());
    assertThat(dead).hasSize(sent.size());
    for (Poison poison : sent) {
      assertThat(dead)
          .as("dead letter of %s", poison)
          .anySatisfy(
              d -> assertThat(header(d, DeadLetterHeaders.ERROR)).contains(poison.kind().reason()));
    }
    assertThat(dead)
        .allSatisfy(d -> assertThat(header(d, DeadLetterHeaders.SERVICE)).startsWith("worker-"));
  }

  @Test
  void aToolResultFromAnAbortedTransactionIsNeverActedOn() throws Exception {
    String callId = harness.startCall("support");
    harness.answerTools.set(false);
    try {
      long seq = harness.speak(callId, 0, 1200, 800);
      await()
          .atMost(WAIT)
          .until(
              () -> harness.agentFinals(callId).stream().anyMatch(t -> t.contains("order number")));
      seq = harness.speak(callId, seq, 1000, 800);
      var call =
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      harness.toolCalls.stream()
                          .filter(c -> c.getCallId().equals(callId))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      var aborted =
          ToolResult.newBuilder()
              .setCallId(callId)
              .setToolCallId(call.getToolCallId())
              .setName(call.getName())
              .setStatus(ToolStatus.OK)
              .setOutputJson("{\"status\":\"aborted\"}")
              .setCompletedAt(Instant.now())
              .build();
      var committed =
          ToolResult.newBuilder(aborted).setOutputJson("{\"status\":\"shipped\"}").build();
      try (var transactional = transactionalProducer()) {
        transactional.initTransactions();
        transactional.beginTransaction();
        transactional.send(record(Topics.TOOL_RESULTS, callId, aborted)).get();
        transactional.abortTransaction();
        transactional.beginTransaction();
        transactional.send(record(Topics.TOOL_RESULTS, callId, committed)).get();
        transactional.commitTransaction();
      }

      await()
          .atMost(WAIT)
          .until(
              () ->
                  sandbox
                      .session(sessionId(callId))
                      .map(s -> s.functionOutputs().size() == 1)
                      .orElse(false));
      var outputs = sandbox.session(sessionId(callId)).orElseThrow().functionOutputs();
      assertThat(outputs)
          .singleElement()
          .satisfies(o -> assertThat(o.output()).contains("shipped"));
      harness.endCall(callId, seq - 1);
    } finally {
      harness.answerTools.set(true);
    }
  }

  private static String sessionId(String callId) {
    return harness.sessionIds(callId).isEmpty() ? "" : harness.sessionIds(callId).get(0);
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            harness.cluster.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "poison-it-" + System.nanoTime()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static <V> ProducerRecord<byte[], byte[]> record(
      TopicSpec<String, V> spec, String callId, V value) {
    String topic = harness.catalogue.name(spec);
    return new ProducerRecord<>(
        topic,
        callId.getBytes(StandardCharsets.UTF_8),
        spec.valueSerde().serializer().serialize(topic, value));
  }

  @SuppressWarnings("unchecked")
  private static <V extends org.apache.avro.specific.SpecificRecord> List<Poison> poison(
      TopicSpec<String, V> spec, V sample, String callId) {
    String topic = harness.catalogue.name(spec);
    List<Poison> corpus = PoisonRecords.all((AvroSerde<V>) spec.valueSerde(), sample, callId);
    for (Poison p : corpus) {
      raw.send(new ProducerRecord<>(topic, p.key(), p.value()));
    }
    return corpus;
  }

  private static CallControl control(String callId) {
    return new CallControl(
        new CallEnded(callId, CallEndReason.CALLER_HANGUP, null, -1L, Instant.now(), null));
  }

  private static AudioFrame frame(String callId) {
    return new AudioFrame(
        callId, 0L, Instant.now(), 20, AudioCodec.PCMU, ByteBuffer.wrap(new byte[160]));
  }

  private static ToolResult result(String callId) {
    return ToolResult.newBuilder()
        .setCallId(callId)
        .setToolCallId("tc-none")
        .setName("lookup_order")
        .setStatus(ToolStatus.OK)
        .setOutputJson("{}")
        .setCompletedAt(Instant.now())
        .build();
  }

  private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(int expected) {
    String dlq = harness.catalogue.name(Topics.DLQ);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                harness.cluster.bootstrapServers(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                4_000_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(dlq).stream()
              .map(p -> new TopicPartition(dlq, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(WAIT)
          .conditionEvaluationListener(
              c -> {
                if (c.getRemainingTimeInMS() <= c.getPollInterval().toMillis()) {
                  all.forEach(
                      d ->
                          System.out.println(
                              "dead letter so far: "
                                  + header(d, DeadLetterHeaders.TOPIC)
                                  + " "
                                  + header(d, DeadLetterHeaders.STAGE)
                                  + " "
                                  + header(d, DeadLetterHeaders.ERROR)));
                }
              })
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return all.size() >= expected;
              });
      consumer.poll(Duration.ofMillis(500)).forEach(all::add);
    }
    return all;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
