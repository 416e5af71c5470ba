package dev.voicebus.schemas.topic;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the contract: its name without the deployment prefix, its key and value serdes, how
 * its partition count is chosen, its retention and cleanup policy. Declared once in {@link Topics}.
 */
public record TopicSpec<K, V>(
    String baseName,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    PartitionGroup partitionGroup,
    Duration retention,
    CleanupPolicy cleanupPolicy) {

  /** Kafka's {@code cleanup.policy}. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact"),
    COMPACT_DELETE("compact,delete");

    private final String config;

    CleanupPolicy(String config) {
      this.config = config;
    }

    public String config() {
      return config;
    }
  }
}
