package dev.voicebus.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.SampleRecords;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.testing.PoisonRecords.Poison;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of poison record is dead-lettered with its reason, and good records keep flowing. */
@ExtendWith(KafkaClusterExtension.class)
class PoisonRecordsIT {

  @Test
  void everyPoisonIsDeadLetteredWithItsReasonAndTheGoodRecordsAroundItAreHandled(
      KafkaCluster cluster) throws Exception {
    var catalogue = TestTopics.createCatalogue(cluster, 1);
    String audioIn = catalogue.name(Topics.AUDIO_IN);
    String dlq = catalogue.name(Topics.DLQ);
    AvroSerde<AudioFrame> serde = AvroSerde.of(AudioFrame.class);
    String callId = "call-poison";
    List<Poison> corpus = PoisonRecords.all(serde, SampleRecords.audioFrame(callId, 0), callId);
    try (var producer = TestTopics.bytesProducer(cluster)) {
      long seq = 1;
      for (Poison poison : corpus) {
        byte[] good = serde.encode(SampleRecords.audioFrame(callId, seq++));
        producer.send(new ProducerRecord<>(audioIn, key(callId), good));
        producer.send(new ProducerRecord<>(audioIn, poison.key(), poison.value()));
      }
      producer
          .send(
              new ProducerRecord<>(
                  audioIn, key(callId), serde.encode(SampleRecords.audioFrame(callId, seq))))
          .get(30, TimeUnit.SECONDS);
    }

    List<Long> handled = new CopyOnWriteArrayList<>();
    try (var dlqProducer = TestTopics.bytesProducer(cluster);
        var loop =
            new SafeConsumerLoop<>(
                new KafkaConsumer<>(
                    TestTopics.consumerConfig(cluster, "poison-test"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()),
                audioIn,
                Topics.AUDIO_IN,
                record -> handled.add(record.value().getSeq()),
                new DeadLetterPublisher(dlqProducer, dlq, "poison-test"),
                Optional.empty())) {
      new Thread(loop, "poison-test-loop").start();

      long goodRecords = corpus.size() + 1L;
      await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == goodRecords);
      assertThat(handled).containsExactlyElementsOf(seqs(1, goodRecords));

      Map<Long, ConsumerRecord<byte[], byte[]>> deadByOffset =
          TestTopics.readRaw(cluster, dlq, corpus.size()).stream()
              .collect(Collectors.toMap(r -> offset(r), Function.identity()));
      for (int i = 0; i < corpus.size(); i++) {
        Poison poison = corpus.get(i);
        var dead = deadByOffset.get(2L * i + 1); // good, poison, good, poison, ...
        assertThat(dead).as(poison.toString()).isNotNull();
        assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("decode");
        assertThat(header(dead, DeadLetterHeaders.ERROR))
            .as(poison.toString())
            .contains(poison.kind().reason());
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(audioIn);
      }
      var nearMax =
          deadByOffset.get(2L * corpus.indexOf(find(corpus, PoisonRecords.Kind.NEAR_MAX_SIZE)) + 1);
      assertThat(nearMax.value()).hasSize(DeadLetterPublisher.MAX_VALUE_BYTES);
      assertThat(header(nearMax, DeadLetterHeaders.TRUNCATED))
          .isEqualTo(
              "value cut from "
                  + PoisonRecords.NEAR_MAX_SIZE_BYTES
                  + " to "
                  + DeadLetterPublisher.MAX_VALUE_BYTES
                  + " bytes");
    }
  }

  private static Poison find(List<Poison> corpus, PoisonRecords.Kind kind) {
    return corpus.stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
  }

  private static List<Long> seqs(long first, long count) {
    return java.util.stream.LongStream.range(first, first + count).boxed().toList();
  }

  private static long offset(ConsumerRecord<byte[], byte[]> dead) {
    return Long.parseLong(header(dead, DeadLetterHeaders.OFFSET));
  }

  private static byte[] key(String callId) {
    return callId.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
