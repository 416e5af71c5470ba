package dev.voicebus.schemas.topic;

import java.util.regex.Pattern;

/**
 * Deployment choices for the topic catalogue: the name prefix shared by all topics, the partition
 * count of each partition group, and the replication factor (-1 takes the broker's default).
 * Validated on construction; an invalid value fails with the setting's name and what is allowed.
 */
public record TopicSettings(
    String prefix,
    int callInputPartitions,
    int replyPartitions,
    int outputPartitions,
    short replicationFactor) {

  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");

  /**
   * Defaults: prefix {@code voicebus.}, 12 partitions per group, the broker's replication factor.
   */
  public static final TopicSettings DEFAULTS =
      new TopicSettings("voicebus.", 12, 12, 12, (short) -1);

  public TopicSettings {
    if (prefix == null || !LEGAL_PREFIX.matcher(prefix).matches() || prefix.length() > 100) {
      throw new IllegalArgumentException(
          "topics.prefix='" + prefix + "' is invalid: use up to 100 of a-z A-Z 0-9 . _ -");
    }
    requirePositive("topics.partitions.call-input", callInputPartitions);
    requirePositive("topics.partitions.reply", replyPartitions);
    requirePositive("topics.partitions.output", outputPartitions);
    if (replicationFactor == 0 || replicationFactor < -1) {
      throw new IllegalArgumentException(
          "topics.replication-factor="
              + replicationFactor
              + " is invalid: use -1 (broker default) or >= 1");
    }
  }

  public TopicSettings withPrefix(String newPrefix) {
    return new TopicSettings(
        newPrefix, callInputPartitions, replyPartitions, outputPartitions, replicationFactor);
  }

  public TopicSettings withPartitions(int callInput, int reply, int output) {
    return new TopicSettings(prefix, callInput, reply, output, replicationFactor);
  }

  public TopicSettings withReplicationFactor(short factor) {
    return new TopicSettings(
        prefix, callInputPartitions, replyPartitions, outputPartitions, factor);
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          key + "=" + value + " is invalid: use a partition count >= 1");
    }
  }
}
