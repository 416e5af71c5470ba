package dev.voicebus.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.topic.Topics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reader on the current (old) schema reads a record from a newer writer that added an optional
 * field, learning the writer's schema from the schemas topic rather than from a registry service.
 */
@ExtendWith(KafkaClusterExtension.class)
class SchemaEvolutionIT {

  @Test
  void oldReaderReadsRecordWithANewOptionalFieldThroughTheBroker(KafkaCluster cluster)
      throws Exception {
    var catalogue = TestTopics.createCatalogue(cluster, 2);
    String schemasTopic = catalogue.name(Topics.SCHEMAS);
    String audioIn = catalogue.name(Topics.AUDIO_IN);
    Schema newer = AvroSerdeTest.withExtraOptionalField(AudioFrame.getClassSchema());
    AudioFrame original = SampleRecords.audioFrame("call-evolve", 5);

    // The newer writer publishes its schema, then a record written with it.
    try (var writerStore = new KafkaSchemaStore(TestTopics.clientConfig(cluster), schemasTopic);
        var producer = TestTopics.bytesProducer(cluster)) {
      writerStore.publish(List.of(newer));
      byte[] bytes = AvroSerdeTest.encodeGeneric(newer, original);
      producer
          .send(new ProducerRecord<>(audioIn, "call-evolve".getBytes(), bytes))
          .get(30, TimeUnit.SECONDS);
    }

    byte[] read = TestTopics.readRaw(cluster, audioIn, 1).get(0).value();
    try (var readerStore = new KafkaSchemaStore(TestTopics.clientConfig(cluster), schemasTopic)) {
      AudioFrame decoded = AvroSerde.of(AudioFrame.class, readerStore).decode(read);

      assertThat(decoded).isEqualTo(original);
    }
  }
}
