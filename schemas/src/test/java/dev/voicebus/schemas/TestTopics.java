package dev.voicebus.schemas;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Per-test topic catalogues with unique prefixes, and plain clients for reading them back. */
public final class TestTopics {

  private TestTopics() {}

  /** A catalogue whose topics no other test uses, created on {@code cluster}. */
  public static TopicCatalogue createCatalogue(KafkaCluster cluster, int callPartitions) {
    var settings =
        TopicSettings.DEFAULTS
            .withPrefix("t" + UUID.randomUUID().toString().substring(0, 8) + ".")
            .withPartitions(callPartitions, 2, 2);
    var catalogue = new TopicCatalogue(settings);
    try (var admin = Admin.create(clientConfig(cluster))) {
      new TopicBootstrap(admin, catalogue, Duration.ofSeconds(30)).ensureTopics().requireHealthy();
    }
    return catalogue;
  }

  public static Map<String, Object> clientConfig(KafkaCluster cluster) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", cluster.bootstrapServers());
    return config;
  }

  public static KafkaProducer<byte[], byte[]> bytesProducer(KafkaCluster cluster) {
    return new KafkaProducer<>(
        clientConfig(cluster), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static Map<String, Object> consumerConfig(KafkaCluster cluster, String group) {
    var config = clientConfig(cluster);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /** Reads {@code count} raw records from {@code topic} from the beginning, or fails after 30 s. */
  public static List<ConsumerRecord<byte[], byte[]>> readRaw(
      KafkaCluster cluster, String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    var config = consumerConfig(cluster, "reader-" + UUID.randomUUID());
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    if (records.size() < count) {
      throw new AssertionError(
          "Expected " + count + " records on " + topic + ", got " + records.size());
    }
    return records;
  }
}
