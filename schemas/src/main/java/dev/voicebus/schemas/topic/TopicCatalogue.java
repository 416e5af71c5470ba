package dev.voicebus.schemas.topic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of one deployment: {@link Topics} with the deployment's prefix and partition counts
 * applied. Services ask it for topic names instead of spelling them.
 */
public final class TopicCatalogue {

  private final TopicSettings settings;

  public TopicCatalogue(TopicSettings settings) {
    this.settings = settings;
  }

  public TopicSettings settings() {
    return settings;
  }

  /** The full topic name, prefix included. */
  public String name(TopicSpec<?, ?> spec) {
    return settings.prefix() + spec.baseName();
  }

  /** The partition count the deployment wants for {@code spec}. */
  public int partitions(TopicSpec<?, ?> spec) {
    return switch (spec.partitionGroup()) {
      case CALL_INPUT -> settings.callInputPartitions();
      case REPLY -> settings.replyPartitions();
      case OUTPUT -> settings.outputPartitions();
      case SINGLE -> 1;
    };
  }

  /** Every topic of the contract. */
  public List<TopicSpec<?, ?>> all() {
    return Topics.ALL;
  }

  /** The topics that must share a partition count. */
  public List<TopicSpec<?, ?>> coPartitioned() {
    return Topics.ALL.stream()
        .filter(t -> t.partitionGroup() == PartitionGroup.CALL_INPUT)
        .toList();
  }

  /**
   * The admin request that creates {@code spec} with its partitions, retention and cleanup policy.
   */
  public NewTopic newTopic(TopicSpec<?, ?> spec) {
    Optional<Short> replication =
        settings.replicationFactor() < 0
            ? Optional.empty()
            : Optional.of(settings.replicationFactor());
    return new NewTopic(name(spec), Optional.of(partitions(spec)), replication)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy().config(),
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(spec.retention().toMillis())));
  }
}
