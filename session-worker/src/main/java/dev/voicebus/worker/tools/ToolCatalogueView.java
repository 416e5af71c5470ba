package dev.voicebus.worker.tools;

import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's copy of the tool catalogue: a consumer without a group that reads the compacted
 * {@code tool.catalogue} topic from its start and follows it, on its own thread. Calls that start
 * get the tools it holds at that moment; a tool that leaves (a tombstone: an MCP server went down)
 * is logged and no longer offered to new calls, while live calls keep what they were offered. A
 * record that cannot be read is logged and counts as no tool. Thread-safe reads.
 */
public final class ToolCatalogueView implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ToolCatalogueView.class);
  private static final AvroSerde<ToolCatalogueEntry> SERDE = AvroSerde.of(ToolCatalogueEntry.class);

  private final String topic;
  private final Consumer<byte[], byte[]> consumer;
  private final Map<String, CatalogueTool> tools = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private Map<TopicPartition, Long> catchUpTo = Map.of();

  /** Starts reading {@code topic} with {@code consumer} (which it owns and closes). */
  public ToolCatalogueView(String topic, Consumer<byte[], byte[]> consumer) {
    this.topic = topic;
    this.consumer = consumer;
    this.thread = new Thread(this::run, "tool-catalogue-view");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** The tools now in the catalogue, by name. */
  public Map<String, CatalogueTool> snapshot() {
    return Map.copyOf(tools);
  }

  /** Waits up to {@code timeout} until what the topic held at start-up has been read. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public String topic() {
    return topic;
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      catchUpTo = new HashMap<>(consumer.endOffsets(partitions));
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          read(record);
        }
        if (caughtUp.getCount() > 0 && reachedEnd()) {
          caughtUp.countDown();
          log.info("Tool catalogue {} read: {} tools {}", topic, tools.size(), tools.keySet());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("The tool catalogue reader stopped unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("The tool catalogue reader stopped: {}", e.toString(), e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private boolean reachedEnd() {
    return catchUpTo.entrySet().stream()
        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      log.warn("Tool catalogue record without a key at offset {} ignored", record.offset());
      return;
    }
    String name = new String(record.key(), StandardCharsets.UTF_8);
    boolean live = caughtUp.getCount() == 0;
    if (record.value() == null) {
      if (tools.remove(name) != null && live) {
        log.info(
            "Tool {} left the tool catalogue: calls that start from now on are not offered it",
            name);
      }
      return;
    }
    CatalogueTool tool;
    try {
      tool =
          CatalogueTool.of(SERDE.decode(record.value()))
              .orElseThrow(() -> new IllegalArgumentException("its schema is not a JSON object"));
    } catch (RuntimeException e) {
      tools.remove(name);
      log.warn(
          "Tool catalogue record of {} at offset {} cannot be read ({}); the tool is not offered",
          name,
          record.offset(),
          e.getMessage());
      return;
    }
    CatalogueTool before = tools.put(name, tool);
    if (live) {
      log.info("Tool {} {} the tool catalogue", name, before == null ? "joined" : "changed in");
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
