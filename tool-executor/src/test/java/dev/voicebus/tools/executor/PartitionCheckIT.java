package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The start-up partition check against a real broker, including topics that appear late. */
@ExtendWith(KafkaClusterExtension.class)
class PartitionCheckIT {

  private final String calls = "pc" + UUID.randomUUID().toString().substring(0, 8) + ".calls";
  private final String dedupe = calls.replace(".calls", ".dedupe");
  private final List<Duration> pauses = new ArrayList<>();

  @Test
  void waitsForTopicsThatAreCreatedAfterTheFirstDescribe(KafkaCluster cluster) {
    try (Admin admin = admin(cluster)) {
      PartitionCheck.requireSameCount(
          admin,
          calls,
          dedupe,
          Duration.ofSeconds(30),
          backoff -> {
            if (pauses.isEmpty()) {
              create(admin, calls, 2);
              create(admin, dedupe, 2);
            }
            pauses.add(backoff);
            Thread.sleep(backoff.toMillis());
          });
    }
    assertThat(pauses).as("describe attempts that failed before the topics existed").isNotEmpty();
  }

  @Test
  void givesUpWithTheClearMessageWhenTheTopicsNeverAppear(KafkaCluster cluster) {
    try (Admin admin = admin(cluster)) {
      assertThatThrownBy(
              () ->
                  PartitionCheck.requireSameCount(
                      admin,
                      calls,
                      dedupe,
                      Duration.ofMillis(1500),
                      backoff -> {
                        pauses.add(backoff);
                        Thread.sleep(backoff.toMillis());
                      }))
          .isInstanceOf(KafkaException.class)
          .hasMessageStartingWith(
              "Cannot describe " + calls + " and " + dedupe + " (do they exist?)")
          .hasRootCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
    assertThat(pauses).as("retries before giving up").hasSizeGreaterThan(1);
    assertThat(pauses.get(1)).as("backoff grows").isGreaterThan(pauses.get(0));
  }

  @Test
  void rejectsDifferentPartitionCounts(KafkaCluster cluster) {
    try (Admin admin = admin(cluster)) {
      create(admin, calls, 2);
      create(admin, dedupe, 3);
      assertThatThrownBy(
              () -> PartitionCheck.requireSameCount(admin, calls, dedupe, Duration.ofSeconds(30)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(dedupe + " has 3 partitions but " + calls + " has 2");
    }
  }

  private static Admin admin(KafkaCluster cluster) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  private static void create(Admin admin, String topic, int partitions) {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot create " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating " + topic, e);
    }
  }
}
