package dev.voicebus.launcher.tail;

import dev.voicebus.launcher.demo.CallFollower;
import dev.voicebus.launcher.demo.LiveTranscript;
import dev.voicebus.schemas.config.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the transcript topics of a cluster and feeds a {@link CallFollower}, on its own thread,
 * until closed. It assigns every partition itself (no consumer group, so nothing is left behind on
 * the cluster and nothing is committed) and starts at the end of each, or at {@code since} ago.
 */
public final class TranscriptTail implements AutoCloseable {

  private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

  private final KafkaSettings kafka;
  private final CallFollower follower;
  private final Duration since;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final Thread thread;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile RuntimeException failure;

  public TranscriptTail(KafkaSettings kafka, CallFollower follower, Duration since) {
    this.kafka = kafka;
    this.follower = follower;
    this.since = since;
    this.thread = new Thread(this::run, "voicebus-tail");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every partition is assigned and positioned; false on timeout or failure. */
  public boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return positioned.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        && failure == null;
  }

  /** Why the tail stopped, if it stopped on an error (e.g. the cluster cannot be reached). */
  public RuntimeException failure() {
    return failure;
  }

  /** Blocks until the tail stops (closed, or failed). */
  public void join() throws InterruptedException {
    thread.join();
  }

  private void run() {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "voicebus-tail");
    String prefix = kafka.catalogue().settings().prefix();
    try (var c =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      position(c, prefix);
      positioned.countDown();
      while (running.get()) {
        for (var record : c.poll(Duration.ofMillis(200))) {
          follower.accept(record.topic().substring(prefix.length()), record.key(), record.value());
        }
      }
    } catch (WakeupException e) {
      // closed
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      positioned.countDown();
    }
  }

  private void position(KafkaConsumer<String, byte[]> c, String prefix) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : LiveTranscript.TOPICS) {
      partitionsOf(c, prefix + topic)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    c.assign(partitions);
    if (since.isZero()) {
      c.seekToEnd(partitions);
      partitions.forEach(c::position); // resolve now, so records produced from here on are seen
      return;
    }
    long from = Instant.now().minus(since).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, from));
    Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(query);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = offsets.get(p);
      if (at == null) {
        c.seekToEnd(List.of(p));
      } else {
        c.seek(p, at.offset());
      }
    }
  }

  /**
   * The topic's partitions, waiting up to {@link #TOPIC_WAIT} for a topic that is missing from the
   * metadata (a cluster whose services are still creating their topics, or just did).
   */
  private List<PartitionInfo> partitionsOf(KafkaConsumer<String, byte[]> c, String topic) {
    long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
    while (true) {
      List<PartitionInfo> infos = c.partitionsFor(topic, TOPIC_WAIT);
      if (infos != null && !infos.isEmpty()) {
        return infos;
      }
      if (System.nanoTime() > deadline || !running.get()) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " not found at "
                + kafka.bootstrapServers()
                + " within "
                + TOPIC_WAIT);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(5000);
  }
}
