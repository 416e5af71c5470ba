package dev.voicebus.worker;

import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic's raw record values as text, to check what is written to Kafka at all. */
final class RawTopics {

  private RawTopics() {}

  /**
   * Every topic of the harness that holds text a person could read back later: the contract's
   * non-audio topics and the worker's state changelog.
   */
  static List<String> durableTextTopics(WorkerHarness harness) {
    var catalogue = harness.catalogue;
    String app = harness.settings.get("worker.application-id");
    return List.of(
        catalogue.name(Topics.TRANSCRIPTS),
        catalogue.name(Topics.SESSION_EVENTS),
        catalogue.name(Topics.TOOL_CALLS),
        catalogue.name(Topics.TOOL_RESULTS),
        catalogue.name(Topics.CALL_CONTROL),
        catalogue.name(Topics.DLQ),
        app + "-calls-changelog");
  }

  /** All values of {@code topic} so far, decoded as UTF-8 (binary parts become noise). */
  static String textOf(WorkerHarness harness, String topic) {
    var text = new StringBuilder();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.cluster.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            text.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
          }
        }
      }
    }
    return text.toString();
  }
}
