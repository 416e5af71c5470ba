package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.dlq.PoisonRecordException;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.tools.executor.DedupeStore.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the records of {@code tool.dedupe} for newly assigned partitions into the {@link
 * DedupeStore}, from the beginning up to the last stable offset, before any call of those
 * partitions is processed. Uses its own read_committed consumer without a group. A record it cannot
 * read (garbage, an unknown writer schema, a length past its end, a null key, an unknown phase) is
 * dead-lettered once per process, however often partitions are restored, and restoring goes on; a
 * tombstone (null value) forgets its toolCallId, as compaction would.
 */
final class DedupeRestorer {

  private static final Logger log = LoggerFactory.getLogger(DedupeRestorer.class);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String dedupeTopic;
  private final DeadLetterPublisher deadLetters;
  private final AvroSerde<ToolResult> serde = AvroSerde.of(ToolResult.class);
  private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();

  /**
   * @param deadLetters publishes outside transactions (restoring happens between them)
   */
  DedupeRestorer(
      Supplier<Consumer<byte[], byte[]>> consumers,
      String dedupeTopic,
      DeadLetterPublisher deadLetters) {
    this.consumers = consumers;
    this.dedupeTopic = dedupeTopic;
    this.deadLetters = deadLetters;
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
        "Restored {} tool call records of partitions {} in {} ms",
        restored,
        partitions,
        (System.nanoTime() - started) / 1_000_000);
  }

  private int add(ConsumerRecord<byte[], byte[]> record, DedupeStore store) {
    try {
      if (record.key() == null) {
        throw PoisonRecordException.nullKey(record.topic());
      }
      if (record.value() == null) {
        store.remove(record.partition(), new String(record.key(), StandardCharsets.UTF_8));
        return 0;
      }
      ToolResult result = serde.decode(record.value());
      long sourceOffset = DedupeStore.sourceOffset(record.headers());
      Phase phase = Phase.of(record.headers());
      store.put(record.partition(), new DedupeStore.Entry(result, sourceOffset, phase));
      return 1;
    } catch (RuntimeException e) {
      String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
      if (deadLettered.add(coordinates)) {
        deadLetters.publish(record, "decode", e);
      } else {
        log.debug("Skipping {} again (dead-lettered before): {}", coordinates, e.getMessage());
      }
      return 0;
    }
  }

  private static boolean caughtUp(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    return end.isEmpty();
  }
}
