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
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check that tool.dedupe has as many partitions as tool.calls: each dedupe record goes to
 * the partition number of its call, so the counts must match or redelivered calls would not find
 * their stored result. Topics that were just created may not be in the broker's metadata yet, so
 * retriable describe errors (unknown topic, stale metadata) are retried until the timeout.
 */
final class PartitionCheck {

  private static final Logger log = LoggerFactory.getLogger(PartitionCheck.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /** Waits between describe attempts: {@link Thread#sleep} in production, a hook in tests. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private PartitionCheck() {}

  static void requireSameCount(Admin admin, String calls, String dedupe, Duration timeout) {
    requireSameCount(admin, calls, dedupe, timeout, d -> Thread.sleep(d.toMillis()));
  }

  /** As above, waiting with {@code pause} between attempts. */
  static void requireSameCount(
      Admin admin, String calls, String dedupe, Duration timeout, Pause pause) {
    Map<String, TopicDescription> topics = describe(admin, calls, dedupe, timeout, pause);
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

  private static Map<String, TopicDescription> describe(
      Admin admin, String calls, String dedupe, Duration timeout, Pause pause) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      long remainingNanos = Math.max(deadline - System.nanoTime(), 0);
      try {
        return admin
            .describeTopics(List.of(calls, dedupe))
            .allTopicNames()
            .get(remainingNanos, TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)
            || deadline - System.nanoTime() <= backoff.toNanos()) {
          throw cannotDescribe(calls, dedupe, e);
        }
        if (attempt == 1) {
          log.info(
              "{} and {} are not described yet ({}); retrying for up to {} ms",
              calls,
              dedupe,
              e.getCause().getClass().getSimpleName(),
              timeout.toMillis());
        }
      } catch (TimeoutException e) {
        throw cannotDescribe(calls, dedupe, e);
      } catch (InterruptedException e) {
        throw interrupted(calls, e);
      }
      try {
        pause.pause(backoff);
      } catch (InterruptedException e) {
        throw interrupted(calls, e);
      }
      backoff = Duration.ofMillis(Math.min(backoff.toMillis() * 2, MAX_BACKOFF.toMillis()));
    }
  }

  private static KafkaException cannotDescribe(String calls, String dedupe, Exception e) {
    return new KafkaException(
        "Cannot describe " + calls + " and " + dedupe + " (do they exist?): " + e.getMessage(), e);
  }

  private static KafkaException interrupted(String calls, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new KafkaException("Interrupted while describing " + calls, e);
  }
}
