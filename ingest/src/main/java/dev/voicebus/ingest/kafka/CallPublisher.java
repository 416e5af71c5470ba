package dev.voicebus.ingest.kafka;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's single idempotent producer ({@code acks=all}) for call.control and audio.in (and the
 * rare tool.results answer of a failed transfer), keyed by call id so a call's records stay in
 * order on one partition. Event loops only enqueue: one sender thread calls {@code send()}, because
 * {@code send()} blocks while topic metadata is missing (e.g. during a broker outage) and nothing
 * may block an event loop. The callback records latency, feeds {@link KafkaHealth} and tells the
 * caller about failures.
 */
public final class CallPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CallPublisher.class);

  /**
   * Told, on the producer's I/O thread (or the caller's, if the queue is full), how one send ended.
   */
  @FunctionalInterface
  public interface Outcome {
    void completed(Exception errorOrNull);
  }

  private record Pending(
      String topic,
      String callId,
      byte[] value,
      Headers headers,
      Outcome outcome,
      long enqueuedNanos) {}

  private static final Pending POISON = new Pending("", "", new byte[0], null, e -> {}, 0);

  private final Producer<byte[], byte[]> producer;
  private final String controlTopic;
  private final String audioTopic;
  private final String toolResultsTopic;
  private final AvroSerde<CallControl> controlSerde = AvroSerde.of(CallControl.class);
  private final AvroSerde<AudioFrame> frameSerde = AvroSerde.of(AudioFrame.class);
  private final AvroSerde<ToolResult> resultSerde = AvroSerde.of(ToolResult.class);
  private final KafkaHealth health;
  private final IngestMetrics metrics;
  private final BlockingQueue<Pending> queue;
  private final Thread sender;

  public CallPublisher(
      Map<String, Object> clientConfig,
      TopicCatalogue catalogue,
      Duration maxBlock,
      int queueCapacity,
      KafkaHealth health,
      IngestMetrics metrics) {
    this.producer =
        new KafkaProducer<>(
            producerConfig(clientConfig, maxBlock),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.controlTopic = catalogue.name(Topics.CALL_CONTROL);
    this.audioTopic = catalogue.name(Topics.AUDIO_IN);
    this.toolResultsTopic = catalogue.name(Topics.TOOL_RESULTS);
    this.health = health;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.sender = new Thread(this::sendLoop, "ingest-kafka-sender");
    sender.setDaemon(true);
    sender.start();
  }

  static Map<String, Object> producerConfig(Map<String, Object> client, Duration maxBlock) {
    var config = new java.util.HashMap<>(client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "voicebus-ingest");
    return config;
  }

  /** Loads topic metadata up front (blocking; call at start-up, not on an event loop). */
  public void warmUp() {
    producer.partitionsFor(controlTopic);
    producer.partitionsFor(audioTopic);
  }

  public Producer<byte[], byte[]> producer() {
    return producer;
  }

  public void publishControl(String callId, CallControl event, Outcome outcome) {
    publishControl(callId, event, null, outcome);
  }

  /** A call.control record with {@code headers} (the trace of a CallStarted; may be null). */
  public void publishControl(String callId, CallControl event, Headers headers, Outcome outcome) {
    enqueue(controlTopic, callId, controlSerde.encode(event), headers, outcome);
  }

  public void publishFrame(AudioFrame frame, Outcome outcome) {
    enqueue(audioTopic, frame.getCallId(), frameSerde.encode(frame), null, outcome);
  }

  /**
   * A tool result ingest answers itself (a transfer the carrier refused), keyed by call id like
   * call.control, so it reaches the worker task that owns the call.
   */
  public void publishToolResult(
      String callId, ToolResult result, Headers headers, Outcome outcome) {
    enqueue(toolResultsTopic, callId, resultSerde.encode(result), headers, outcome);
  }

  private void enqueue(
      String topic, String callId, byte[] value, Headers headers, Outcome outcome) {
    health.onSend();
    if (!queue.offer(new Pending(topic, callId, value, headers, outcome, System.nanoTime()))) {
      var error =
          new IllegalStateException(
              "publish queue full (" + queue.size() + " records waiting for Kafka)");
      health.onFailure(error);
      metrics.error("kafka-queue-full");
      outcome.completed(error);
    }
  }

  public int queued() {
    return queue.size();
  }

  private void sendLoop() {
    List<Pending> batch = new ArrayList<>(256);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 255);
        for (Pending pending : batch) {
          if (pending == POISON) {
            return;
          }
          send(pending);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(Pending p) {
    try {
      producer.send(
          new ProducerRecord<>(
              p.topic(), null, p.callId().getBytes(StandardCharsets.UTF_8), p.value(), p.headers()),
          (metadata, error) -> completed(p, error));
    } catch (RuntimeException e) {
      // max.block.ms exceeded (buffer full or metadata missing) or the producer is closed.
      completed(p, e);
    }
  }

  private void completed(Pending p, Exception error) {
    if (error == null) {
      health.onAck();
      metrics.published(System.nanoTime() - p.enqueuedNanos());
    } else {
      health.onFailure(error);
      metrics.error(error instanceof RetriableException ? "kafka-retriable" : "kafka-fatal");
      try (CallMdc ignored = CallMdc.open(p.callId(), null)) {
        log.warn("Publish to {} failed for call {}: {}", p.topic(), p.callId(), error.toString());
      }
    }
    p.outcome().completed(error);
  }

  /** Waits until everything enqueued so far has been handed to the producer, then flushes it. */
  public void flush() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!queue.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    producer.flush();
  }

  @Override
  public void close() {
    try {
      queue.put(POISON);
      sender.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
