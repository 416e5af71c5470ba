package dev.voicebus.tools.executor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;

/**
 * Start-up check that tool.dedupe has as many partitions as tool.calls: each dedupe record goes to
 * the partition number of its call, so the counts must match or redelivered calls would not find
 * their stored result.
 */
final class PartitionCheck {

  private PartitionCheck() {}

  static void requireSameCount(Admin admin, String calls, String dedupe, Duration timeout) {
    Map<String, TopicDescription> topics;
    try {
      topics =
          admin
              .describeTopics(List.of(calls, dedupe))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException(
          "Cannot describe " + calls + " and " + dedupe + " (do they exist?): " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while describing " + calls, e);
    }
    int callPartitions = topics.get(calls).partitions().size();
    int dedupePartitions = topics.get(dedupe).partitions().size();
    if (callPartitions != dedupePartitions) {
      throw new IllegalStateException(
          dedupe
              + " has "
              + dedupePartitions
              + " partitions but "
              + calls
              + " has "
              + callPartitions
              + ": they must be equal (both are in the OUTPUT partition group);"
              + " add partitions to the smaller one");
    }
  }
}
