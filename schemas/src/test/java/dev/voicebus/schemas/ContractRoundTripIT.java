package dev.voicebus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every record type and union branch of the contract goes through a real broker and back intact.
 */
@ExtendWith(KafkaClusterExtension.class)
class ContractRoundTripIT {

  @Test
  void everyRecordTypeRoundTripsThroughTheBroker(KafkaCluster cluster) throws Exception {
    TopicCatalogue catalogue = TestTopics.createCatalogue(cluster, 3);
    String callId = "call-roundtrip";

    roundTrip(cluster, catalogue, Topics.CALL_CONTROL, callId, SampleRecords.callControl(callId));
    roundTrip(
        cluster,
        catalogue,
        Topics.AUDIO_IN,
        callId,
        List.of(SampleRecords.audioFrame(callId, 0), SampleRecords.audioFrame(callId, 1)));
    roundTrip(cluster, catalogue, Topics.AUDIO_OUT, callId, SampleRecords.audioOut(callId));
    roundTrip(
        cluster, catalogue, Topics.TRANSCRIPTS, callId, List.of(SampleRecords.transcript(callId)));
    roundTrip(
        cluster, catalogue, Topics.TOOL_CALLS, callId, List.of(SampleRecords.toolCall(callId)));
    roundTrip(
        cluster, catalogue, Topics.TOOL_RESULTS, callId, List.of(SampleRecords.toolResult(callId)));
    roundTrip(
        cluster, catalogue, Topics.SESSION_EVENTS, callId, SampleRecords.sessionEvents(callId));
  }

  private static <V> void roundTrip(
      KafkaCluster cluster,
      TopicCatalogue catalogue,
      TopicSpec<String, V> spec,
      String callId,
      List<V> records)
      throws Exception {
    String topic = catalogue.name(spec);
    try (var producer =
        new KafkaProducer<>(
            TestTopics.clientConfig(cluster),
            spec.keySerde().serializer(),
            spec.valueSerde().serializer())) {
      for (V record : records) {
        producer.send(new ProducerRecord<>(topic, callId, record)).get(30, TimeUnit.SECONDS);
      }
    }

    List<V> read =
        TestTopics.readRaw(cluster, topic, records.size()).stream()
            .peek(
                r ->
                    assertThat(spec.keySerde().deserializer().deserialize(topic, r.key()))
                        .isEqualTo(callId))
            .map(r -> spec.valueSerde().deserializer().deserialize(topic, r.value()))
            .toList();

    assertThat(read).as(topic).containsExactlyElementsOf(records);
  }
}
