package dev.voicebus.recorder.loop;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.recorder.config.RecorderConfig.StartAt;
import dev.voicebus.recorder.loop.CallTable.Source;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.supervision.SupervisedLoop;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's consumer loop. One group consumer reads call.control, audio.in and tool.results,
 * which share their partition count and are range-assigned, so one recorder gets every record of a
 * call; a second, group-less consumer follows audio.out ({@link ReplyFollower}). Each record is
 * decoded ({@link RecordDecoder}) and handed to the {@link CallTable}; a record that breaks the
 * contract, or whose handling throws, is dead-lettered with the reason and skipped. Offsets are
 * committed every second, never past the first record of a call that is not stored yet, with the
 * start of the oldest such call in the call.control commit's metadata, so whoever owns the
 * partition next rebuilds those calls from Kafka. Run by a {@link
 * dev.voicebus.schemas.supervision.LoopSupervisor}, which replaces it if it dies.
 */
public final class RecorderLoop implements SupervisedLoop {

  private static final Logger log = LoggerFactory.getLogger(RecorderLoop.class);
  private static final String FROM = "audio-out-from=";
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final LoopClients clients;
  private final LoopSettings settings;
  private final CallTable table;
  private final RecorderMetrics metrics;
  private final ReplyFollower reply;
  private final RecordDecoder<String, CallControl> control =
      new RecordDecoder<>(Topics.CALL_CONTROL);
  private final RecordDecoder<String, AudioFrame> frames = new RecordDecoder<>(Topics.AUDIO_IN);
  private final RecordDecoder<String, ToolResult> results =
      new RecordDecoder<>(Topics.TOOL_RESULTS);
  private final RecordDecoder<String, AudioOut> agent = new RecordDecoder<>(Topics.AUDIO_OUT);
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile Set<Integer> owned = Set.of();
  private volatile boolean healthy;
  private int callPartitions;
  private long lastCommit;

  RecorderLoop(
      LoopClients clients, LoopSettings settings, CallTable table, RecorderMetrics metrics) {
    this.clients = clients;
    this.settings = settings;
    this.table = table;
    this.metrics = metrics;
    this.reply = new ReplyFollower(clients.reply(), settings.audioOutTopic());
  }

  @Override
  public void run() {
    try {
      if (!running.get()) {
        return;
      }
      callPartitions =
          clients.group().partitionsFor(settings.controlTopic(), METADATA_TIMEOUT).size();
      reply.start(METADATA_TIMEOUT);
      clients
          .group()
          .subscribe(
              List.of(
                  settings.controlTopic(), settings.audioInTopic(), settings.toolResultsTopic()),
              new Rebalance());
      log.info(
          "Recording calls from {}, {}, {} and {}",
          settings.controlTopic(),
          settings.audioInTopic(),
          settings.toolResultsTopic(),
          settings.audioOutTopic());
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = clients.group().poll(POLL);
        records.forEach(this::accept);
        if (!owned.isEmpty()) {
          reply.poll(Duration.ZERO).forEach(this::acceptAgent);
        }
        healthy = true;
        table.tick(new LoopProgress());
        if (System.nanoTime() - lastCommit > settings.commitInterval().toNanos()) {
          commit();
        }
      }
      commit();
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      healthy = false;
      table.dropAll();
      close();
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> raw) {
    String topic = raw.topic();
    try {
      if (topic.equals(settings.controlTopic())) {
        var record = control.decode(raw);
        table.onControl(
            record.key(), raw.partition(), raw.offset(), raw.timestamp(), record.value());
      } else if (topic.equals(settings.audioInTopic())) {
        var record = frames.decode(raw);
        table.onFrame(record.key(), raw.partition(), raw.offset(), raw.timestamp(), record.value());
      } else if (topic.equals(settings.toolResultsTopic())) {
        var record = results.decode(raw);
        table.onToolResult(
            record.key(), raw.partition(), raw.offset(), raw.timestamp(), record.value());
      }
    } catch (RuntimeException e) {
      deadLetter(raw, e);
    }
    positions.put(new TopicPartition(topic, raw.partition()), raw.offset() + 1);
  }

  /** audio.out records of calls on this recorder's partitions; the rest are someone else's. */
  private void acceptAgent(ConsumerRecord<byte[], byte[]> raw) {
    int partition =
        raw.key() == null
            ? raw.partition() % callPartitions
            : Utils.toPositive(Utils.murmur2(raw.key())) % callPartitions;
    if (!owned.contains(partition)) {
      return;
    }
    try {
      var record = agent.decode(raw);
      table.onAgent(record.key(), partition, raw.timestamp(), record.value());
    } catch (RuntimeException e) {
      deadLetter(raw, e);
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> raw, RuntimeException e) {
    boolean decode = e instanceof org.apache.kafka.common.errors.SerializationException;
    if (!decode) {
      log.warn("Handling {}-{}@{} failed", raw.topic(), raw.partition(), raw.offset(), e);
    }
    metrics.deadLettered();
    clients.deadLetters().publish(raw, decode ? "decode" : "handle", e);
  }

  /** Commits, for each partition read, the first offset a call still needs, or the position. */
  private void commit() {
    lastCommit = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = offsets();
    if (offsets.isEmpty()) {
      return;
    }
    // The dead letters and events of what the offsets cover must be on the broker first.
    clients.producer().flush();
    clients.group().commitSync(offsets);
  }

  private Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : clients.group().assignment()) {
      Long position = positions.get(tp);
      Source source = source(tp.topic());
      OptionalLong hold = table.holdOffset(source, tp.partition());
      if (position == null && hold.isEmpty()) {
        continue;
      }
      long offset =
          hold.isPresent() && (position == null || hold.getAsLong() < position)
              ? hold.getAsLong()
              : position;
      String metadata = "";
      if (source == Source.CONTROL) {
        Instant from = table.holdTime(tp.partition()).orElseGet(Instant::now);
        metadata = FROM + from.toEpochMilli();
      }
      offsets.put(tp, new OffsetAndMetadata(offset, metadata));
    }
    return offsets;
  }

  private Source source(String topic) {
    if (topic.equals(settings.controlTopic())) {
      return Source.CONTROL;
    }
    return topic.equals(settings.audioInTopic()) ? Source.AUDIO_IN : Source.TOOL_RESULTS;
  }

  /** Whether this loop records the calls of call partition {@code partition} now. */
  public boolean owns(int partition) {
    return owned.contains(partition);
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public void stop() {
    running.set(false);
    clients.group().wakeup();
  }

  private void close() {
    try {
      clients.group().close(CloseOptions.timeout(Duration.ofSeconds(10)));
    } catch (RuntimeException e) {
      log.warn("Closing the recorder's group consumer failed: {}", e.toString());
    }
    try {
      clients.reply().close(CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      log.warn("Closing the recorder's audio.out consumer failed: {}", e.toString());
    }
  }

  private final class LoopProgress implements CallTable.Progress {
    @Override
    public boolean callerCaughtUp(int partition) {
      OptionalLong lag =
          clients.group().currentLag(new TopicPartition(settings.audioInTopic(), partition));
      return lag.isPresent() && lag.getAsLong() == 0;
    }

    @Override
    public boolean replyPassed(int partition, Instant at) {
      return reply.passed(partition, at);
    }
  }

  /**
   * Range assignment revokes everything at each rebalance: calls of partitions that stay here are
   * kept and their partitions resume where this loop was; calls of partitions that left are
   * forgotten (their new owner records them from the committed offsets); partitions that arrive are
   * read from their commits, and audio.out is rewound to their oldest call's start.
   */
  private final class Rebalance implements ConsumerRebalanceListener {

    private final Map<TopicPartition, Long> kept = new HashMap<>();

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) {
        return;
      }
      try {
        commit();
      } catch (RuntimeException e) {
        log.warn("Committing before a rebalance failed: {}", e.toString());
      }
      kept.clear();
      for (TopicPartition tp : revoked) {
        Long position = positions.get(tp);
        if (position != null) {
          kept.put(tp, position);
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Set<Integer> now = new HashSet<>();
      assigned.forEach(tp -> now.add(tp.partition()));
      Set<Integer> gone = new HashSet<>(owned);
      gone.removeAll(now);
      table.dropPartitions(gone);
      positions.keySet().removeIf(tp -> gone.contains(tp.partition()));
      Optional<Instant> from = Optional.empty();
      Set<TopicPartition> fresh = new HashSet<>();
      for (TopicPartition tp : assigned) {
        Long position = kept.get(tp);
        if (position != null && owned.contains(tp.partition())) {
          clients.group().seek(tp, position);
        } else {
          fresh.add(tp);
        }
      }
      if (!fresh.isEmpty()) {
        from = Optional.of(startOf(fresh));
      }
      owned = Set.copyOf(now);
      kept.clear();
      from.ifPresent(reply::rewind);
      log.info("Recording the calls of partitions {}", now);
    }

    /** Where audio.out must be read from for partitions new to this loop. */
    private Instant startOf(Set<TopicPartition> fresh) {
      Map<TopicPartition, OffsetAndMetadata> committed = clients.group().committed(fresh);
      Instant earliest = null;
      for (TopicPartition tp : fresh) {
        if (!tp.topic().equals(settings.controlTopic())) {
          continue;
        }
        OffsetAndMetadata commit = committed.get(tp);
        Instant from;
        if (commit != null && commit.metadata().startsWith(FROM)) {
          from = Instant.ofEpochMilli(Long.parseLong(commit.metadata().substring(FROM.length())));
        } else if (commit == null && settings.startAt() == StartAt.EARLIEST) {
          from = Instant.EPOCH;
        } else {
          from = Instant.now();
        }
        earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
      }
      return earliest == null ? Instant.now() : earliest;
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      Set<Integer> numbers = new HashSet<>();
      lost.forEach(tp -> numbers.add(tp.partition()));
      table.dropPartitions(numbers);
      positions.keySet().removeIf(tp -> numbers.contains(tp.partition()));
      Set<Integer> left = new HashSet<>(owned);
      left.removeAll(numbers);
      owned = Set.copyOf(left);
    }
  }
}
