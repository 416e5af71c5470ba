package dev.voicebus.webhooks.consumer;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.event.CallDirectory;
import dev.voicebus.webhooks.event.CallDirectory.CallInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When call.control partitions are assigned, reads what the {@link CallDirectory} has not seen of
 * them before the position consumption resumes from: from where it last saw the partition, or else
 * from the look-back ago, so a CallEnded consumed later finds the tenant of a call that started
 * before this instance owned the partition (after a restart or a rebalance). Uses its own consumer
 * with {@code assign}, outside the group.
 */
final class DirectoryRestorer {

  private static final Logger log = LoggerFactory.getLogger(DirectoryRestorer.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final RecordDecoder<String, CallControl> decoder =
      new RecordDecoder<>(Topics.CALL_CONTROL);

  DirectoryRestorer(Supplier<Consumer<byte[], byte[]>> consumers) {
    this.consumers = consumers;
  }

  /**
   * Brings the directory up to {@code positions} (the offsets consumption resumes from, by
   * partition).
   */
  void restore(Map<TopicPartition, Long> positions, CallDirectory directory, Instant now) {
    if (positions.isEmpty()) {
      return;
    }
    try (Consumer<byte[], byte[]> consumer = consumers.get()) {
      Map<TopicPartition, Long> from = starts(consumer, positions, directory, now);
      if (from.isEmpty()) {
        return;
      }
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      Map<TopicPartition, Long> left = new HashMap<>(from);
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(raw.topic(), raw.partition());
          if (raw.offset() < positions.get(tp)) {
            apply(raw, directory);
          }
        }
        left.keySet().removeIf(tp -> consumer.position(tp) >= positions.get(tp));
      }
      if (!left.isEmpty()) {
        log.warn(
            "Could not read call.control partitions {} up to their positions within {}; call.ended"
                + " of calls that started before may not be delivered",
            left.keySet(),
            TIMEOUT);
      }
      positions.forEach((tp, position) -> directory.seen(tp.partition(), position - 1));
      log.info(
          "Read call.control partitions {} back to learn their live calls; {} calls known",
          from.keySet().stream().map(TopicPartition::partition).toList(),
          directory.size());
    }
  }

  private static Map<TopicPartition, Long> starts(
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> positions,
      CallDirectory directory,
      Instant now) {
    Map<TopicPartition, Long> times = new HashMap<>();
    positions.keySet().forEach(tp -> times.put(tp, now.minus(directory.lookback()).toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times);
    Map<TopicPartition, Long> from = new HashMap<>();
    positions.forEach(
        (tp, position) -> {
          Optional<Long> fromTime =
              Optional.ofNullable(byTime.get(tp)).map(OffsetAndTimestamp::offset);
          Optional<Long> unseen = directory.nextUnseen(tp.partition());
          long start = Math.max(unseen.orElse(0L), fromTime.orElse(position));
          if (start < position) {
            from.put(tp, start);
          }
        });
    return from;
  }

  private void apply(ConsumerRecord<byte[], byte[]> raw, CallDirectory directory) {
    CallControl control;
    try {
      control = decoder.value(raw);
    } catch (RuntimeException e) {
      return; // dead-lettered when it was consumed
    }
    if (control.getEvent() instanceof CallStarted started) {
      directory.started(
          started.getCallId(),
          new CallInfo(
              started.getTenantId(),
              started.getAgentProfile(),
              Optional.ofNullable(started.getExternalCallId()),
              raw.partition(),
              started.getStartedAt()));
    } else if (control.getEvent() instanceof CallEnded ended) {
      directory.remove(ended.getCallId());
    }
  }
}
