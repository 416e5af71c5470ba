package dev.voicebus.schemas.dlq;

import dev.voicebus.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll loop over one topic of the contract that decodes each record with a {@link RecordDecoder}
 * and hands it to a {@link RecordHandler}. A record that breaks the contract (unreadable bytes, a
 * length past its end, an unknown writer schema, a null key or value), or whose handling throws,
 * goes to the dead-letter topic with the reason, and the loop moves on: one bad record never
 * crashes the service or blocks its partition. Offsets are committed after each batch (at least
 * once). {@link #close()} stops the loop from any thread.
 */
public final class SafeConsumerLoop<K, V> implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SafeConsumerLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final RecordDecoder<K, V> decoder;
  private final RecordHandler<K, V> handler;
  private final DeadLetterPublisher deadLetters;
  private final ConsumerRebalanceListener rebalanceListener;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  /**
   * @param consumer a byte-array consumer this loop takes over and closes
   * @param topic the topic's full name
   * @param spec the topic's contract entry (serdes)
   * @param handler what to do with each decoded record
   * @param deadLetters where undecodable or unhandled records go
   * @param rebalanceListener told about assigned and revoked partitions, to release per-call state
   */
  public SafeConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      String topic,
      TopicSpec<K, V> spec,
      RecordHandler<K, V> handler,
      DeadLetterPublisher deadLetters,
      Optional<ConsumerRebalanceListener> rebalanceListener) {
    this.consumer = consumer;
    this.topic = topic;
    this.decoder = new RecordDecoder<>(spec);
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.rebalanceListener = rebalanceListener.orElse(new NoOpListener());
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic), rebalanceListener);
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> raw : records) {
          process(raw);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      try {
        consumer.close();
      } finally {
        stopped.complete(null);
      }
    }
  }

  private void process(ConsumerRecord<byte[], byte[]> raw) {
    ConsumerRecord<K, V> decoded;
    try {
      decoded = decoder.decode(raw);
    } catch (RuntimeException e) {
      deadLetters.publish(raw, "decode", e);
      return;
    }
    try {
      handler.handle(decoded);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deadLetters.publish(raw, "handle", e);
    } catch (Exception e) {
      log.warn("Handler failed on {}-{}@{}", raw.topic(), raw.partition(), raw.offset(), e);
      deadLetters.publish(raw, "handle", e);
    }
  }

  /** Stops polling and waits up to {@code timeout} for the loop to close its consumer. */
  public void stop(Duration timeout) {
    running.set(false);
    consumer.wakeup();
    try {
      stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Consumer loop on {} did not stop within {}", topic, timeout);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  private static final class NoOpListener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }
}
