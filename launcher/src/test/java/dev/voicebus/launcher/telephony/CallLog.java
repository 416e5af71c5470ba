package dev.voicebus.launcher.telephony;

import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the stack published about calls, read back from the broker from the beginning. */
public final class CallLog {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaSettings kafka;

  public CallLog(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  /** The CallStarted of the Twilio call {@code callSid}. */
  public CallStarted started(String callSid) {
    return find(
            Topics.CALL_CONTROL,
            c -> c.getEvent() instanceof CallStarted s && callSid.equals(s.getExternalCallId()))
        .map(c -> (CallStarted) c.getEvent())
        .orElseThrow(() -> new AssertionError("no CallStarted for " + callSid));
  }

  /** The CallEnded of call {@code callId}. */
  public CallEnded ended(String callId) {
    return find(
            Topics.CALL_CONTROL,
            c -> c.getEvent() instanceof CallEnded e && callId.equals(e.getCallId()))
        .map(c -> (CallEnded) c.getEvent())
        .orElseThrow(() -> new AssertionError("no CallEnded for " + callId));
  }

  /** The final transcript lines of {@code speaker} in call {@code callId}, once {@code until}. */
  public List<String> finals(String callId, Speaker speaker, Predicate<List<String>> until) {
    List<String> lines = new ArrayList<>();
    read(
        Topics.TRANSCRIPTS,
        t -> {
          if (t.getCallId().equals(callId)
              && t.getRole() == speaker
              && t.getKind() == TranscriptKind.FINAL) {
            lines.add(t.getText());
          }
          return until.test(lines);
        });
    return lines;
  }

  private <T> Optional<T> find(TopicSpec<String, T> topic, Predicate<T> match) {
    List<T> found = new ArrayList<>();
    read(
        topic,
        value -> {
          if (match.test(value)) {
            found.add(value);
          }
          return !found.isEmpty();
        });
    return found.stream().findFirst();
  }

  /** Reads {@code topic} from the beginning until {@code done} says so or the wait is over. */
  private <T> void read(TopicSpec<String, T> topic, Predicate<T> done) {
    String name = kafka.catalogue().name(topic);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(name).stream()
              .map(p -> new TopicPartition(name, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          T value = topic.valueSerde().deserializer().deserialize(name, record.value());
          if (done.test(value)) {
            return;
          }
        }
      }
    }
  }
}
