package dev.voicebus.tools.testing;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.config.ToolExecutorConfig;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.tools.executor.ToolExecutorService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's private deployment on the shared broker: topics under a unique prefix (2 partitions
 * per group), settings for executors, a producer of ToolCalls and read_committed readers of
 * tool.results, tool.dedupe and the DLQ.
 */
public final class ExecutorHarness implements AutoCloseable {

  private static final AvroSerde<ToolCall> CALLS = AvroSerde.of(ToolCall.class);
  private static final AvroSerde<ToolResult> RESULTS = AvroSerde.of(ToolResult.class);

  private final KafkaCluster cluster;
  private final String prefix = "te" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final KafkaSettings kafka;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<ToolExecutorService> services = new ArrayList<>();

  public ExecutorHarness(KafkaCluster cluster) {
    this.cluster = cluster;
    this.kafka =
        KafkaSettings.from(
            ConfigSource.of(
                Map.of(
                    "kafka.bootstrap.servers", cluster.bootstrapServers(),
                    "topics.prefix", prefix,
                    "topics.partitions.call-input", "2",
                    "topics.partitions.reply", "2",
                    "topics.partitions.output", "2")));
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public KafkaSettings kafka() {
    return kafka;
  }

  public TopicCatalogue catalogue() {
    return kafka.catalogue();
  }

  /** Executor settings: these plus the test's own ({@code extra} wins). */
  public ToolExecutorConfig config(String instanceId, Map<String, String> extra) {
    return ToolExecutorConfigReader.read(ConfigSource.of(executorSettings(instanceId, extra)));
  }

  /**
   * Every setting an executor of this deployment needs, Kafka and topics included (for an executor
   * in its own JVM).
   */
  public Map<String, String> allSettings(String instanceId, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(executorSettings(instanceId, extra));
    settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
    settings.put("topics.prefix", prefix);
    settings.put("topics.partitions.call-input", "2");
    settings.put("topics.partitions.reply", "2");
    settings.put("topics.partitions.output", "2");
    return settings;
  }

  private Map<String, String> executorSettings(String instanceId, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("tool-executor.instance-id", instanceId);
    settings.put("tool-executor.group-id", prefix + "executors");
    settings.put("tool-executor.http-host", "127.0.0.1");
    settings.put("tool-executor.http-port", "0");
    settings.put("tool-executor.threads", "8");
    settings.put("tool-executor.retry.initial-backoff", "20ms");
    settings.putAll(extra);
    return settings;
  }

  /** Starts an executor that {@link #close()} stops. */
  public ToolExecutorService start(ToolExecutorConfig config) {
    return start(config, Tracing.off());
  }

  /** Starts an executor whose spans go to {@code tracing}; {@link #close()} stops it. */
  public ToolExecutorService start(ToolExecutorConfig config, Tracing tracing) {
    var service = new ToolExecutorService(config, kafka, List.of(), tracing);
    services.add(service);
    service.start();
    return service;
  }

  public static ToolCall call(String callId, String tool, String argumentsJson, Instant deadline) {
    return ToolCall.newBuilder()
        .setCallId(callId)
        .setToolCallId("tc-" + UUID.randomUUID())
        .setName(tool)
        .setArgumentsJson(argumentsJson)
        .setDeadline(deadline)
        .setRequestedAt(Instant.now())
        .setTenantId("tenant-1")
        .setAgentProfile("support")
        .build();
  }

  public static ToolCall call(String tool, String argumentsJson) {
    return call("call-" + UUID.randomUUID(), tool, argumentsJson, Instant.now().plusSeconds(20));
  }

  public void send(ToolCall call) {
    sendRaw(call.getCallId(), CALLS.encode(call));
  }

  /** Sends {@code call} with a {@code traceparent} header, as a traced worker does. */
  public void send(ToolCall call, String traceparent) {
    var record =
        new ProducerRecord<>(
            catalogue().name(Topics.TOOL_CALLS),
            call.getCallId().getBytes(StandardCharsets.UTF_8),
            CALLS.encode(call));
    record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
    sendRaw(record);
  }

  public void sendRaw(String key, byte[] value) {
    sendRaw(catalogue().name(Topics.TOOL_CALLS), key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Sends raw bytes (either may be null) to {@code topic} and waits for the broker. */
  public void sendRaw(String topic, byte[] key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    producer.flush();
  }

  /** Sends a raw record to one partition of {@code topic}, and waits for the broker. */
  public void sendRaw(ProducerRecord<byte[], byte[]> record) {
    producer.send(record);
    producer.flush();
  }

  /** Committed results on tool.results so far (read_committed, from the beginning). */
  public List<ToolResult> committedResults() {
    List<ToolResult> results = new ArrayList<>();
    readAll(catalogue().name(Topics.TOOL_RESULTS))
        .forEach(r -> results.add(RESULTS.decode(r.value())));
    return results;
  }

  public List<ToolResult> committedResults(String toolCallId) {
    return committedResults().stream().filter(r -> r.getToolCallId().equals(toolCallId)).toList();
  }

  public List<ConsumerRecord<byte[], byte[]>> committedDedupeRecords() {
    return readAll(catalogue().name(Topics.TOOL_DEDUPE));
  }

  public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return readAll(catalogue().name(Topics.DLQ));
  }

  /** Every committed record now in {@code topic}, read up to the end offsets. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = new HashMap<>(consumer.endOffsets(partitions));
      while (!end.isEmpty()) {
        consumer.poll(Duration.ofMillis(50)).forEach(records::add);
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
    return records;
  }

  public KafkaCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
    producer.close();
  }
}
