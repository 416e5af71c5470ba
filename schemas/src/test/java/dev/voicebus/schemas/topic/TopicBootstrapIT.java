package dev.voicebus.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class TopicBootstrapIT {

  @Test
  void createsEveryTopicWithItsPartitionsAndConfigsOnce(KafkaCluster cluster) throws Exception {
    var catalogue = new TopicCatalogue(settings().withPartitions(4, 2, 3));
    try (var admin = Admin.create(TestTopics.clientConfig(cluster))) {
      var bootstrap = new TopicBootstrap(admin, catalogue, Duration.ofSeconds(30));

      var first = bootstrap.ensureTopics();
      var second = bootstrap.ensureTopics();

      assertThat(first.created())
          .hasSize(Topics.ALL.size())
          .contains(catalogue.name(Topics.AUDIO_IN));
      assertThat(first.healthy()).isTrue();
      assertThat(second.created()).isEmpty();
      assertThat(second.existing()).hasSize(Topics.ALL.size());

      var described =
          admin
              .describeTopics(
                  List.of(catalogue.name(Topics.AUDIO_IN), catalogue.name(Topics.SCHEMAS)))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      assertThat(described.get(catalogue.name(Topics.AUDIO_IN)).partitions()).hasSize(4);
      assertThat(described.get(catalogue.name(Topics.SCHEMAS)).partitions()).hasSize(1);

      var resource = new ConfigResource(ConfigResource.Type.TOPIC, catalogue.name(Topics.SCHEMAS));
      var config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      var audioResource =
          new ConfigResource(ConfigResource.Type.TOPIC, catalogue.name(Topics.AUDIO_IN));
      var audioConfig =
          admin
              .describeConfigs(List.of(audioResource))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(audioResource);
      assertThat(audioConfig.get("retention.ms").value())
          .isEqualTo(String.valueOf(Duration.ofDays(1).toMillis()));
    }
  }

  @Test
  void reportsBrokenCoPartitioningWithoutAlteringTheTopic(KafkaCluster cluster) throws Exception {
    var catalogue = new TopicCatalogue(settings().withPartitions(4, 2, 2));
    String audioIn = catalogue.name(Topics.AUDIO_IN);
    try (var admin = Admin.create(TestTopics.clientConfig(cluster))) {
      admin
          .createTopics(List.of(new NewTopic(audioIn, 6, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);

      var report = new TopicBootstrap(admin, catalogue, Duration.ofSeconds(30)).ensureTopics();

      assertThat(report.healthy()).isFalse();
      assertThat(report.problems())
          .singleElement()
          .asString()
          .contains("co-partitioned")
          .contains(audioIn + "=6");
      assertThat(report.notices())
          .anySatisfy(n -> assertThat(n).contains(audioIn + " has 6 partitions"));
      assertThatThrownBy(report::requireHealthy)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not alter existing topics");
      var description =
          admin.describeTopics(List.of(audioIn)).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(description.get(audioIn).partitions()).as("left as it was").hasSize(6);
    }
  }

  @Test
  void rejectsInvalidSettingsNamingTheKey() {
    assertThatThrownBy(() -> TopicSettings.DEFAULTS.withPrefix("bad prefix!"))
        .hasMessageContaining("topics.prefix='bad prefix!'");
    assertThatThrownBy(() -> TopicSettings.DEFAULTS.withPartitions(0, 1, 1))
        .hasMessageContaining("topics.partitions.call-input=0");
  }

  private static TopicSettings settings() {
    return TopicSettings.DEFAULTS.withPrefix(
        "b" + UUID.randomUUID().toString().substring(0, 8) + ".");
  }
}
