package dev.voicebus.tools.catalogue;

import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.tools.registry.ToolRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the executor's tools to the compacted {@code tool.catalogue} topic. Of all executor
 * instances, only the one the catalogue group ({@code <group-id>.catalogue}) assigns the topic's
 * single partition writes: it reads the topic to its end, then writes what differs from its own
 * tools (new or changed records, a tombstone for each tool it does not have), again on every change
 * of its tools and every {@code resync} interval. Instances that disagree (one has an MCP server
 * down, another has it up) therefore never make the catalogue flap: it follows the writing
 * instance, and when that one stops, the next takes over within the group's session timeout and
 * reconciles the topic with its own view. Records are deterministic, so a rewrite of an unchanged
 * tool (two writers during a hand-over) changes nothing. Runs on its own thread.
 */
public final class CataloguePublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CataloguePublisher.class);
  private static final AvroSerde<ToolCatalogueEntry> SERDE = AvroSerde.of(ToolCatalogueEntry.class);

  private final String topic;
  private final ToolRegistry registry;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Duration resync;
  private final Thread thread;
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  private final AtomicBoolean reread = new AtomicBoolean(false);
  private volatile boolean running = true;
  private volatile boolean writer;

  /** What the topic holds, by name, as read (a null value: a record that could not be read). */
  private final Map<String, ToolCatalogueEntry> published = new HashMap<>();

  private Map<TopicPartition, Long> catchUpTo = Map.of();
  private Instant nextResync = Instant.MAX;

  /**
   * @param consumer a consumer in the catalogue group (it never commits)
   * @param producer an idempotent producer of the records
   * @param resync how often the writer compares the topic with its tools even without a change
   */
  public CataloguePublisher(
      String topic,
      ToolRegistry registry,
      KafkaConsumer<byte[], byte[]> consumer,
      KafkaProducer<byte[], byte[]> producer,
      Duration resync) {
    this.topic = topic;
    this.registry = registry;
    this.consumer = consumer;
    this.producer = producer;
    this.resync = resync;
    this.thread = new Thread(this::run, "tool-catalogue");
    this.thread.setDaemon(true);
    registry.onChange(() -> dirty.set(true));
  }

  public void start() {
    thread.start();
  }

  /** Whether this instance is the one writing the catalogue now. */
  public boolean writer() {
    return writer;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Assignment());
      while (running) {
        try {
          step();
        } catch (WakeupException e) {
          if (running) {
            throw e;
          }
        } catch (RuntimeException e) {
          // The Kafka clients retry what can be retried; anything else is logged, and the loop
          // reads the topic again before writing, so nothing is left half-written.
          log.warn("Tool catalogue publisher: {}; trying again", e.toString(), e);
          reread.set(true);
          pause();
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      producer.close(Duration.ofSeconds(5));
    }
  }

  private void step() {
    if (reread.getAndSet(false) && writer) {
      startReading(consumer.assignment());
    }
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      read(record);
    }
    if (writer && caughtUp() && (dirty.getAndSet(false) || Instant.now().isAfter(nextResync))) {
      reconcile();
    }
  }

  private void startReading(Collection<TopicPartition> partitions) {
    published.clear();
    consumer.seekToBeginning(partitions);
    catchUpTo = new HashMap<>(consumer.endOffsets(partitions));
    dirty.set(true);
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      log.warn(
          "Ignoring a record without a key at {}-{}@{}",
          topic,
          record.partition(),
          record.offset());
      return;
    }
    String name = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      published.remove(name);
      return;
    }
    try {
      published.put(name, SERDE.decode(record.value()));
    } catch (RuntimeException e) {
      log.warn(
          "The catalogue record of {} at {}@{} cannot be read ({}); the writer replaces it",
          name,
          topic,
          record.offset(),
          e.getMessage());
      published.put(name, null);
      dirty.set(true);
    }
  }

  private boolean caughtUp() {
    if (catchUpTo.isEmpty()) {
      return true;
    }
    for (Map.Entry<TopicPartition, Long> end : catchUpTo.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    catchUpTo = Map.of();
    return true;
  }

  private void reconcile() {
    Map<String, ToolCatalogueEntry> wanted = CatalogueEntries.of(registry.tools());
    CatalogueDiff diff = CatalogueDiff.between(published, wanted);
    nextResync = Instant.now().plus(resync);
    if (diff.isEmpty()) {
      return;
    }
    diff.puts().forEach((name, entry) -> send(name, SERDE.encode(entry)));
    diff.tombstones().forEach(name -> send(name, null));
    producer.flush();
    // The records come back through the consumer; until then the topic is taken to hold them.
    published.putAll(diff.puts());
    diff.tombstones().forEach(published::remove);
    log.info(
        "Tool catalogue {}: published {}, removed {}",
        topic,
        diff.puts().keySet(),
        diff.tombstones());
  }

  private void send(String name, byte[] value) {
    producer.send(
        new ProducerRecord<>(topic, name.getBytes(StandardCharsets.UTF_8), value),
        (metadata, error) -> {
          if (error != null) {
            log.warn(
                "Catalogue record of {} not written ({}); reading the topic again",
                name,
                error.toString());
            reread.set(true);
          }
        });
  }

  /** Becoming the writer means reading the topic from the start before writing anything. */
  private final class Assignment implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      startReading(partitions);
      writer = true;
      log.info("This executor now writes the tool catalogue {}", topic);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        writer = false;
        catchUpTo = Map.of();
        log.info("This executor no longer writes the tool catalogue {}", topic);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    if (!thread.isAlive()) {
      if (thread.getState() == Thread.State.NEW) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
        producer.close(Duration.ZERO);
      }
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
