package dev.voicebus.ingest.playback;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.call.CallRegistry;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's reply partition of audio.out (by {@code assign()}, from the end, no consumer
 * group) and hands each record to the live call named by its key, on that call's event loop.
 * Records for calls this node does not hold are counted and dropped; undecodable ones go to the
 * DLQ.
 */
public final class AudioOutConsumer implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AudioOutConsumer.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final CallRegistry registry;
  private final IngestMetrics metrics;
  private final DeadLetterPublisher deadLetters;
  private final AvroSerde<AudioOut> serde = AvroSerde.of(AudioOut.class);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean polling;

  public AudioOutConsumer(
      Map<String, Object> clientConfig,
      TopicPartition partition,
      CallRegistry registry,
      IngestMetrics metrics,
      DeadLetterPublisher deadLetters) {
    var config = new java.util.HashMap<>(clientConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "voicebus-ingest-playback");
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partition = partition;
    this.registry = registry;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    // Resolve the end offset now, so records produced after start() are never skipped.
    consumer.position(partition, Duration.ofSeconds(30));
  }

  @Override
  public void run() {
    try {
      while (running.get()) {
        polling = true;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          dispatch(record);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      polling = false;
      log.error("Playback consumer on {} stopped", partition, e);
      throw e;
    } finally {
      polling = false;
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      stopped.countDown();
    }
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record) {
    String callId = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    AudioOut event;
    try {
      event = serde.decode(record.value());
    } catch (RuntimeException e) {
      metrics.error("audio-out-undecodable");
      deadLetters.publish(record, "decode", e);
      return;
    }
    Optional<CallSession> session = registry.find(callId);
    if (session.isEmpty()) {
      metrics.playbackDropped("unknown-call");
      log.debug("Dropped audio.out record for call {} not live on this node", callId);
      return;
    }
    CallSession call = session.get();
    long producedAtMs = record.timestamp();
    call.eventLoop()
        .execute(
            () -> {
              call.onAudioOut(event);
              if (event.getEvent() instanceof AgentAudio) {
                metrics.agentAudioDelivered(System.currentTimeMillis() - producedAtMs);
              }
            });
  }

  /** Whether the loop is running (for readiness). */
  public boolean polling() {
    return polling;
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("Playback consumer on {} did not stop within 10 s", partition);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
