package dev.voicebus.recorder.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the agent's audio from audio.out. That topic is partitioned by ingest node (each node reads
 * its own reply partition), not by call, so it cannot be part of the consumer group's
 * co-partitioned assignment: every recorder reads all of its partitions without a group and keeps
 * the records of calls whose call partitions it owns. Nothing is committed for it; where to read
 * from follows from time instead: when the recorder takes over call partitions it rewinds to the
 * start of the oldest call they hold (less a margin for clock skew between hosts), and duplicates
 * that a rewind reads again are dropped by seq. Confined to the loop's thread.
 */
final class ReplyFollower {

  /** How far before a call's start its agent audio is looked for: clock skew between hosts. */
  static final Duration SKEW_MARGIN = Duration.ofSeconds(10);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Map<Integer, Long> lastTimestamps = new HashMap<>();
  private List<TopicPartition> partitions = List.of();

  ReplyFollower(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /** Takes every partition of audio.out; {@link #rewind} positions them. */
  void start(Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
  }

  /** Reads from {@code from} (less the margin) on, unless already positioned before it. */
  void rewind(Instant from) {
    long at = Math.max(0, from.minus(SKEW_MARGIN).toEpochMilli());
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, at));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp hit = found.get(tp);
      long target = hit != null ? hit.offset() : ends.getOrDefault(tp, 0L);
      if (consumer.position(tp) > target) {
        consumer.seek(tp, target);
      }
    }
  }

  ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      lastTimestamps.merge(record.partition(), record.timestamp(), Math::max);
    }
    return records;
  }

  /** Whether partition {@code partition} has been read past {@code at}, or to its end. */
  boolean passed(int partition, Instant at) {
    Long last = lastTimestamps.get(partition);
    if (last != null && last >= at.toEpochMilli()) {
      return true;
    }
    OptionalLong lag = consumer.currentLag(new TopicPartition(topic, partition));
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  boolean hasPartitions() {
    return !partitions.isEmpty();
  }
}
