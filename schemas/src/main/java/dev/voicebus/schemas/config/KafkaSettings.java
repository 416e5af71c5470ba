package dev.voicebus.schemas.config;

import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * How a service reaches Kafka: {@code kafka.bootstrap.servers}, every other {@code kafka.*} setting
 * passed to the clients untouched (SASL, TLS, timeouts), and the topic catalogue settings ({@code
 * topics.prefix}, {@code topics.partitions.*}, {@code topics.replication-factor}).
 */
public record KafkaSettings(Map<String, Object> clientProperties, TopicSettings topics) {

  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
    if (!clientProperties.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is required, e.g. 127.0.0.1:9092");
    }
  }

  public static KafkaSettings from(ConfigSource config) {
    Map<String, Object> client = new HashMap<>(config.withPrefix("kafka."));
    client.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
    var defaults = TopicSettings.DEFAULTS;
    var topics =
        new TopicSettings(
            config.string("topics.prefix", defaults.prefix()),
            config.integer(
                "topics.partitions.call-input", defaults.callInputPartitions(), 1, 10_000),
            config.integer("topics.partitions.reply", defaults.replyPartitions(), 1, 10_000),
            config.integer("topics.partitions.output", defaults.outputPartitions(), 1, 10_000),
            (short)
                config.integer("topics.replication-factor", defaults.replicationFactor(), -1, 32));
    return new KafkaSettings(client, topics);
  }

  public String bootstrapServers() {
    return String.valueOf(clientProperties.get("bootstrap.servers"));
  }

  public TopicCatalogue catalogue() {
    return new TopicCatalogue(topics);
  }

  /** A mutable copy of the client properties, to add a client's own settings to. */
  public Map<String, Object> clientConfig() {
    return new HashMap<>(clientProperties);
  }

  @Override
  public String toString() {
    // Client properties may hold SASL passwords; show only where we connect.
    return "KafkaSettings[bootstrap.servers=" + bootstrapServers() + ", topics=" + topics + "]";
  }
}
