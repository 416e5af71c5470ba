package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the committed records of {@code tool.dedupe} for newly assigned partitions into the {@link
 * DedupeStore}, from the beginning up to the last stable offset, before any call of those
 * partitions is processed. Uses its own read_committed consumer without a group.
 */
final class DedupeRestorer {

  private static final Logger log = LoggerFactory.getLogger(DedupeRestorer.class);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String dedupeTopic;
  private final AvroSerde<ToolResult> serde = AvroSerde.of(ToolResult.class);

  DedupeRestorer(Supplier<Consumer<byte[], byte[]>> consumers, String dedupeTopic) {
    this.consumers = consumers;
    this.dedupeTopic = dedupeTopic;
  }

  void restore(Collection<Integer> partitions, DedupeStore store) {
    if (partitions.isEmpty()) {
      return;
    }
    List<TopicPartition> topicPartitions =
        partitions.stream().map(p -> new TopicPartition(dedupeTopic, p)).toList();
    long started = System.nanoTime();
    int restored = 0;
    try (Consumer<byte[], byte[]> consumer = consumers.get()) {
      consumer.assign(topicPartitions);
      consumer.seekToBeginning(topicPartitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(topicPartitions));
      while (!caughtUp(consumer, end)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          restored += add(record, store);
        }
      }
    }
    log.info(
        "Restored {} finished tool calls of partitions {} in {} ms",
        restored,
        partitions,
        (System.nanoTime() - started) / 1_000_000);
  }

  private int add(ConsumerRecord<byte[], byte[]> record, DedupeStore store) {
    if (record.value() == null) {
      return 0;
    }
    try {
      ToolResult result = serde.decode(record.value());
      long sourceOffset = DedupeStore.sourceOffset(record.headers());
      store.put(record.partition(), new DedupeStore.Entry(result, sourceOffset));
      return 1;
    } catch (RuntimeException e) {
      log.warn(
          "Skipping undecodable dedupe record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return 0;
    }
  }

  private static boolean caughtUp(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    return end.isEmpty();
  }
}
