package dev.voicebus.worker.output;

import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the worker's calls produce. Callers (Realtime event loops, the stream thread) only
 * serialize and enqueue; one sender thread calls {@code send()}, because {@code send()} blocks
 * while topic metadata is missing or the producer's buffer is full, and nothing may block an event
 * loop or hold a call while it waits. This is the same design as ingest's {@code CallPublisher},
 * kept twice on purpose: ingest must tell each caller about each acknowledgement, the worker only
 * reports failures. The producer is idempotent with {@code acks=all}, so a retried send neither
 * duplicates nor reorders a call's records. When Kafka is unreachable for long enough to fill the
 * queue ({@code worker.output-queue-capacity}), further records are dropped, counted and logged
 * rather than blocking calls.
 */
public final class OutputPublisher implements CallOutput, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutputPublisher.class);

  private record Pending(
      String topic,
      Integer partition,
      byte[] key,
      byte[] value,
      Headers headers,
      CompletableFuture<Void> marker) {}

  private static final Pending STOP = new Pending("", null, null, null, null, null);

  private final Producer<byte[], byte[]> producer;
  private final TopicCatalogue catalogue;
  private final BlockingQueue<Pending> queue;
  private final Counter dropped;
  private final Counter failed;
  private final Thread sender;

  public OutputPublisher(
      Map<String, Object> clientConfig,
      TopicCatalogue catalogue,
      int queueCapacity,
      MeterRegistry registry) {
    this(
        new KafkaProducer<>(
            config(clientConfig), new ByteArraySerializer(), new ByteArraySerializer()),
        catalogue,
        queueCapacity,
        registry);
  }

  OutputPublisher(
      Producer<byte[], byte[]> producer,
      TopicCatalogue catalogue,
      int queueCapacity,
      MeterRegistry registry) {
    this.producer = producer;
    this.catalogue = catalogue;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.dropped = registry.counter("voicebus.worker.output.dropped");
    this.failed = registry.counter("voicebus.worker.output.failed");
    this.sender = new Thread(this::sendLoop, "voicebus-worker-output");
    sender.setDaemon(true);
    sender.start();
  }

  static Map<String, Object> config(Map<String, Object> clientConfig) {
    var config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "voicebus-session-worker-out");
    return config;
  }

  @Override
  public void transcript(TranscriptEvent event) {
    enqueue(Topics.TRANSCRIPTS, event.getCallId(), event, Optional.empty());
  }

  @Override
  public void toolCall(ToolCall call, Optional<String> traceparent) {
    enqueue(Topics.TOOL_CALLS, call.getCallId(), call, traceparent);
  }

  @Override
  public void sessionEvent(SessionEvent event) {
    enqueue(Topics.SESSION_EVENTS, event.getCallId(), event, Optional.empty());
  }

  @Override
  public void callEnded(CallEnded ended) {
    enqueue(Topics.CALL_CONTROL, ended.getCallId(), new CallControl(ended), Optional.empty());
  }

  @Override
  public void audioOut(String replyTopic, int replyPartition, String callId, AudioOut out) {
    byte[] value = Topics.AUDIO_OUT.valueSerde().serializer().serialize(replyTopic, out);
    offer(new Pending(replyTopic, replyPartition, key(callId), value, null, null));
  }

  private <V> void enqueue(
      TopicSpec<String, V> spec, String callId, V value, Optional<String> traceparent) {
    String topic = catalogue.name(spec);
    byte[] bytes = spec.valueSerde().serializer().serialize(topic, value);
    Headers headers = null;
    if (traceparent.isPresent()) {
      headers = new RecordHeaders();
      headers.add(TraceHeaders.TRACEPARENT, traceparent.get().getBytes(StandardCharsets.UTF_8));
    }
    offer(new Pending(topic, null, key(callId), bytes, headers, null));
  }

  private void offer(Pending pending) {
    if (!queue.offer(pending)) {
      dropped.increment();
      log.error(
          "Output queue full ({} records waiting for Kafka): dropped a record for {}",
          queue.size(),
          pending.topic());
    }
  }

  private static byte[] key(String callId) {
    return callId.getBytes(StandardCharsets.UTF_8);
  }

  private void sendLoop() {
    List<Pending> batch = new ArrayList<>(256);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 255);
        for (Pending pending : batch) {
          if (pending == STOP) {
            return;
          }
          if (pending.marker() != null) {
            pending.marker().complete(null);
          } else {
            send(pending);
          }
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
          new ProducerRecord<>(p.topic(), p.partition(), p.key(), p.value(), p.headers()),
          callback(p.topic()));
    } catch (RuntimeException e) {
      // max.block.ms passed (metadata missing, buffer full) or the producer is closed.
      failed.increment();
      log.error("Send to {} failed: {}", p.topic(), e.toString());
    }
  }

  private Callback callback(String topic) {
    return (metadata, error) -> {
      if (error == null) {
        return;
      }
      failed.increment();
      if (error instanceof RetriableException) {
        log.warn("Send to {} failed after retries: {}", topic, error.toString());
      } else {
        log.error("Send to {} failed: {}", topic, error.toString());
      }
    };
  }

  /**
   * Hands everything enqueued so far to the producer and waits until it is acknowledged; used
   * before a graceful hand-over so nothing produced is lost.
   */
  public void flush() {
    var marker = new CompletableFuture<Void>();
    try {
      queue.put(new Pending("", null, null, null, null, marker));
      marker.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Output not fully handed to Kafka before the flush deadline: {}", e.toString());
    }
    producer.flush();
  }

  @Override
  public void close() {
    try {
      queue.put(STOP);
      sender.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
