package dev.voicebus.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undecodable or unhandled records go to the DLQ with their reason; the next record still flows.
 */
@ExtendWith(KafkaClusterExtension.class)
class DeadLetterIT {

  @Test
  void garbageGoesToTheDlqWithItsReasonAndTheNextRecordIsProcessed(KafkaCluster cluster)
      throws Exception {
    var catalogue = TestTopics.createCatalogue(cluster, 1);
    String audioIn = catalogue.name(Topics.AUDIO_IN);
    String dlq = catalogue.name(Topics.DLQ);
    byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
    AudioFrame poison = SampleRecords.audioFrame("call-dlq", 1);
    AudioFrame good = SampleRecords.audioFrame("call-dlq", 2);
    var serde = Topics.AUDIO_IN.valueSerde();
    try (var producer = TestTopics.bytesProducer(cluster)) {
      producer
          .send(new ProducerRecord<>(audioIn, key("call-dlq"), garbage))
          .get(30, TimeUnit.SECONDS);
      producer.send(
          new ProducerRecord<>(
              audioIn, key("call-dlq"), serde.serializer().serialize(audioIn, poison)));
      producer
          .send(
              new ProducerRecord<>(
                  audioIn, key("call-dlq"), serde.serializer().serialize(audioIn, good)))
          .get();
    }

    List<Long> handledSeqs = new CopyOnWriteArrayList<>();
    RecordHandler<String, AudioFrame> handler =
        record -> {
          if (record.value().getSeq() == 1) {
            throw new IllegalStateException("frame 1 cannot be handled");
          }
          handledSeqs.add(record.value().getSeq());
        };
    try (var dlqProducer = TestTopics.bytesProducer(cluster);
        var loop =
            new SafeConsumerLoop<>(
                new KafkaConsumer<>(
                    TestTopics.consumerConfig(cluster, "dlq-test"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()),
                audioIn,
                Topics.AUDIO_IN,
                handler,
                new DeadLetterPublisher(dlqProducer, dlq, "dlq-test"),
                Optional.empty())) {
      Thread thread = new Thread(loop, "dlq-test-loop");
      thread.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> handledSeqs.contains(2L));

      List<ConsumerRecord<byte[], byte[]>> dead = TestTopics.readRaw(cluster, dlq, 2);
      var decodeFailure = dead.get(0);
      assertThat(decodeFailure.value()).isEqualTo(garbage);
      assertThat(decodeFailure.key()).isEqualTo(key("call-dlq"));
      assertThat(header(decodeFailure, DeadLetterHeaders.TOPIC)).isEqualTo(audioIn);
      assertThat(header(decodeFailure, DeadLetterHeaders.PARTITION)).isEqualTo("0");
      assertThat(header(decodeFailure, DeadLetterHeaders.OFFSET)).isEqualTo("0");
      assertThat(header(decodeFailure, DeadLetterHeaders.STAGE)).isEqualTo("decode");
      assertThat(header(decodeFailure, DeadLetterHeaders.ERROR))
          .contains("Cannot decode AudioFrame");
      assertThat(header(decodeFailure, DeadLetterHeaders.SERVICE)).isEqualTo("dlq-test");

      var handleFailure = dead.get(1);
      assertThat(header(handleFailure, DeadLetterHeaders.OFFSET)).isEqualTo("1");
      assertThat(header(handleFailure, DeadLetterHeaders.STAGE)).isEqualTo("handle");
      assertThat(header(handleFailure, DeadLetterHeaders.ERROR))
          .isEqualTo("frame 1 cannot be handled");
      assertThat(handledSeqs).containsExactly(2L);
    }
  }

  private static byte[] key(String callId) {
    return callId.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
