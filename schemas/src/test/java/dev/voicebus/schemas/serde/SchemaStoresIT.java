package dev.voicebus.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.Topics;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runtime writer-schema store as services use it: installing it publishes every contract type's
 * current schema to the schemas topic, and then any serde of the process (built without a store of
 * its own, as the topic catalogue's are) decodes a record from a newer writer whose schema only
 * that topic knows.
 */
@ExtendWith(KafkaClusterExtension.class)
class SchemaStoresIT {

  @AfterEach
  void forget() {
    AvroSerde.useProcessStore(null);
  }

  @Test
  void installingPublishesEveryContractSchemaAndLetsEveryReaderResolveNewerWriters(
      KafkaCluster cluster) throws Exception {
    var catalogue = TestTopics.createCatalogue(cluster, 2);
    var kafka =
        KafkaSettings.from(
            ConfigSource.of(
                Map.of(
                    "kafka.bootstrap.servers",
                    cluster.bootstrapServers(),
                    "topics.prefix",
                    catalogue.settings().prefix())));
    Schema newer = AvroSerdeTest.withExtraOptionalField(AudioFrame.getClassSchema());
    AudioFrame original = SampleRecords.audioFrame("call-store", 7);
    byte[] fromNewerWriter = AvroSerdeTest.encodeGeneric(newer, original);

    try (var writer = SchemaStores.install(kafka)) {
      writer.publish(List.of(newer));
    }
    AvroSerde.useProcessStore(null);
    try (var reader = SchemaStores.install(kafka)) {
      for (ContractType<?> type : ContractType.ALL) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(type.currentSchema());
        assertThat(reader.findByFingerprint(fingerprint)).as(type.name()).isNotNull();
      }
      AudioFrame decoded = AvroSerde.of(AudioFrame.class).decode(fromNewerWriter);

      assertThat(decoded).isEqualTo(original);
      assertThat(catalogue.name(Topics.SCHEMAS)).startsWith(catalogue.settings().prefix());
    }
  }
}
