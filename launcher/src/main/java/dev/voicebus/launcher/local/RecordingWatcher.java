package dev.voicebus.launcher.local;

import dev.voicebus.avro.RecordingInfo;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits for the recorder's {@code RECORDING_READY} event of one call on session.events (matched by
 * the source's call id, e.g. the Twilio CallSid the demo knows), for {@code voicebus demo} to print
 * where the recording is. Reads without a consumer group.
 */
public final class RecordingWatcher {

  private RecordingWatcher() {}

  /** The recording of the call whose external id is {@code externalCallId}, if it comes in time. */
  public static Optional<RecordingInfo> await(
      KafkaSettings kafka, String externalCallId, Duration timeout) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    String topic = kafka.catalogue().name(Topics.SESSION_EVENTS);
    var deserializer = Topics.SESSION_EVENTS.valueSerde().deserializer();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          SessionEvent event;
          try {
            event = deserializer.deserialize(topic, record.value());
          } catch (RuntimeException e) {
            continue;
          }
          if (event.getRecording() != null
              && externalCallId.equals(event.getExternalCallId())
              && event.getEvent() instanceof SessionLifecycle lifecycle
              && lifecycle.getPhase() == SessionPhase.RECORDING_READY) {
            return Optional.of(event.getRecording());
          }
        }
      }
      return Optional.empty();
    }
  }
}
