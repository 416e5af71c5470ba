package dev.voicebus.launcher.demo;

import dev.voicebus.avro.CallSummary;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints one call's conversation as it happens (through a {@link CallFollower}): each finished
 * caller and agent turn, tool calls and their results, and session errors. It finds the call by the
 * Twilio CallSid the demo dialled with, and keeps the closing CallSummary.
 */
public final class LiveTranscript implements AutoCloseable {

  /** The topics a transcript is made of, without the prefix. */
  public static final List<String> TOPICS =
      List.of(
          Topics.CALL_CONTROL.baseName(),
          Topics.TRANSCRIPTS.baseName(),
          Topics.TOOL_CALLS.baseName(),
          Topics.TOOL_RESULTS.baseName(),
          Topics.SESSION_EVENTS.baseName());

  private final KafkaSettings kafka;
  private final PrintStream out;
  private final CallFollower follower;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public LiveTranscript(KafkaSettings kafka, String externalCallId, PrintStream out) {
    this.kafka = kafka;
    this.out = out;
    this.follower =
        new CallFollower(
            new CallFollower.Selection(
                started -> externalCallId.equals(started.getExternalCallId()), null),
            out,
            false,
            false);
    this.thread = new Thread(this::run, "voicebus-live-transcript");
    thread.setDaemon(true);
    thread.start();
  }

  public CompletableFuture<CallSummary> summary() {
    return follower.firstSummary();
  }

  public long toolRoundTripMs() {
    return follower.toolRoundTripMs();
  }

  private void run() {
    var catalogue = kafka.catalogue();
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "voicebus-demo-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    String prefix = catalogue.settings().prefix();
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(TOPICS.stream().map(t -> prefix + t).toList());
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          follower.accept(record.topic().substring(prefix.length()), record.key(), record.value());
        }
      }
    } catch (KafkaException e) {
      out.println(
          "  (no live transcript: cannot read Kafka at "
              + kafka.bootstrapServers()
              + ": "
              + e.getMessage()
              + ")");
      follower.firstSummary().completeExceptionally(e);
    }
  }

  /** Stops reading and waits up to 2 s for the reader thread; keeps the interrupt flag. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
