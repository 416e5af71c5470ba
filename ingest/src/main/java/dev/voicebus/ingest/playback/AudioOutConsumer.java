package dev.voicebus.ingest.playback;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.supervision.SupervisedLoop;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's reply partition of audio.out (by {@code assign()}, no consumer group) and hands
 * each record to the live call named by its key, on that call's event loop. Records for calls this
 * node does not hold are counted and dropped; records that break the contract (undecodable, a
 * length past their end, null key or value) and records that cannot be handed to their call go to
 * the DLQ. Runs under {@link #supervise}: if it dies, a fresh consumer resumes where it stopped
 * (skipping, and dead-lettering, a record it died handling).
 */
public final class AudioOutConsumer implements SupervisedLoop {

  private static final Logger log = LoggerFactory.getLogger(AudioOutConsumer.class);
  private static final Duration RESTART_INITIAL = Duration.ofMillis(100);
  private static final Duration RESTART_MAX = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PlaybackContext context;
  private final RecordDecoder<String, AudioOut> decoder = new RecordDecoder<>(Topics.AUDIO_OUT);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final long caughtUpAt;
  private volatile boolean healthy;

  /**
   * Positions a new consumer: the first one of the node at the partition's end (resolved now, so
   * records produced after start are never skipped), a replacement where the last one stopped.
   */
  public AudioOutConsumer(PlaybackContext context) {
    this.context = context;
    var config = new HashMap<>(context.clientConfig());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "voicebus-ingest-playback");
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      var partition = context.partition();
      consumer.assign(List.of(partition));
      long next = context.cursor().next();
      if (next < 0) {
        consumer.seekToEnd(List.of(partition));
        long end = consumer.position(partition, Duration.ofSeconds(30));
        context.cursor().startAt(end);
        caughtUpAt = end;
      } else {
        consumer.seek(partition, next);
        // A replacement counts as healthy once it has played what piled up while it was down.
        caughtUpAt = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
      }
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** Runs playback consumers of {@code context} under a supervisor (started by the caller). */
  public static LoopSupervisor<AudioOutConsumer> supervise(PlaybackContext context) {
    return new LoopSupervisor<>(
        "ingest-playback-" + context.partition().partition(),
        () -> new AudioOutConsumer(context),
        new Backoff(RESTART_INITIAL, RESTART_MAX));
  }

  @Override
  public void run() {
    try {
      context.cursor().takeCasualty().ifPresent(this::deadLetterCasualty);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          context.cursor().handling(record);
          dispatch(record);
          context.cursor().handled(record);
        }
        if (!healthy && consumer.position(context.partition()) >= caughtUpAt) {
          healthy = true;
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        context.cursor().died(e);
        throw e;
      }
    } catch (RuntimeException | Error e) {
      context.cursor().died(e);
      throw e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void deadLetterCasualty(PlaybackCursor.Casualty casualty) {
    var record = casualty.record();
    log.error(
        "Skipping {}-{}@{}: the previous playback consumer died handling it",
        record.topic(),
        record.partition(),
        record.offset());
    context.metrics().error("audio-out-undeliverable");
    context
        .deadLetters()
        .publish(
            record,
            "handle",
            new IllegalStateException(
                "the playback consumer died handling this record: " + casualty.cause(),
                casualty.cause()));
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record) {
    AudioOut event;
    try {
      event = decoder.value(record);
    } catch (RuntimeException e) {
      context.metrics().error("audio-out-undecodable");
      context.deadLetters().publish(record, "decode", e);
      return;
    }
    String callId = new String(record.key(), StandardCharsets.UTF_8);
    Optional<CallSession> session = context.registry().find(callId);
    if (session.isEmpty()) {
      context.metrics().playbackDropped("unknown-call");
      log.debug("Dropped audio.out record for call {} not live on this node", callId);
      return;
    }
    CallSession call = session.get();
    long producedAtMs = record.timestamp();
    try {
      call.eventLoop()
          .execute(
              () -> {
                call.onAudioOut(event);
                if (event.getEvent() instanceof AgentAudio) {
                  context.metrics().agentAudioDelivered(System.currentTimeMillis() - producedAtMs);
                }
              });
    } catch (RuntimeException e) {
      // The call's event loop is shutting down: this record cannot be played to it.
      context.metrics().error("audio-out-undeliverable");
      context.deadLetters().publish(record, "handle", e);
    }
  }

  /** It has read up to where the partition ended when it started: the reply path works. */
  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public void stop() {
    running.set(false);
    consumer.wakeup();
  }
}
