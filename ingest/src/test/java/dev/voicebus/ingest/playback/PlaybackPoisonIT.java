package dev.voicebus.ingest.playback;

import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.testing.PoisonRecords.Poison;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.Tone;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of hostile record on the node's reply partition is dead-lettered with its reason,
 * while the live call on that partition hears all of its agent's audio and the node stays ready.
 */
@ExtendWith(KafkaClusterExtension.class)
class PlaybackPoisonIT {

  private static final int REPLY_PARTITION = 1;
  private static final AvroSerde<AudioOut> SERDE = AvroSerde.of(AudioOut.class);

  @Test
  void everyPoisonIsDeadLetteredAndTheLiveCallHearsAllOfItsAgentsAudio(KafkaCluster cluster)
      throws Exception {
    try (var harness =
            new IngestHarness(
                cluster, Map.of("ingest.reply-partition", String.valueOf(REPLY_PARTITION)));
        var producer =
            new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      SimulatedCall sim = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      var control = harness.control(r -> startedWithExternalId(r, sim.callSid()).isPresent());
      String callId = startedWithExternalId(control, sim.callSid()).orElseThrow().getCallId();
      String audioOut = harness.catalogue().name(Topics.AUDIO_OUT);
      List<Poison> corpus = PoisonRecords.all(SERDE, agentAudio(callId, 0, new byte[160]), callId);
      byte[] speech = Tone.muLaw(440, 20 * corpus.size()); // 20 ms (160 bytes) each
      var expected = new ByteArrayOutputStream();
      for (int i = 0; i < corpus.size(); i++) {
        byte[] chunk = Arrays.copyOfRange(speech, i * 160, (i + 1) * 160);
        expected.writeBytes(chunk);
        Poison poison = corpus.get(i);
        producer.send(
            new ProducerRecord<>(audioOut, REPLY_PARTITION, poison.key(), poison.value()));
        producer.send(
            new ProducerRecord<>(
                audioOut,
                REPLY_PARTITION,
                callId.getBytes(StandardCharsets.UTF_8),
                SERDE.encode(agentAudio(callId, i * 20L, chunk))));
      }
      producer.flush();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sim.receivedAudio().length == expected.size());
      assertThat(Arrays.equals(sim.receivedAudio(), expected.toByteArray()))
          .as("the audio, in full")
          .isTrue();
      List<ConsumerRecord<byte[], byte[]>> dead = harness.deadLetters(corpus.size());
      for (Poison poison : corpus) {
        var record =
            dead.stream()
                .filter(d -> sameRecord(d, poison))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + poison));
        assertThat(header(record, DeadLetterHeaders.ERROR))
            .as(poison.toString())
            .contains(poison.kind().reason());
        assertThat(header(record, DeadLetterHeaders.SERVICE)).isEqualTo("ingest");
      }
      assertThat(harness.service().readinessProblem()).isEmpty();
      sim.sendStop();
      assertThat(sim.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    }
  }

  static AudioOut agentAudio(String callId, long offsetMs, byte[] payload) {
    return new AudioOut(
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(offsetMs)
            .setItemId("item_poison")
            .setOffsetMs(offsetMs)
            .setDurationMs(payload.length / 8)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(payload))
            .build());
  }

  private static boolean sameRecord(ConsumerRecord<byte[], byte[]> dead, Poison poison) {
    if (!Arrays.equals(dead.key(), poison.key())) {
      return false;
    }
    if (poison.value() == null || dead.value() == null) {
      return poison.value() == dead.value();
    }
    int copied = Math.min(poison.value().length, DeadLetterPublisher.MAX_VALUE_BYTES);
    return Arrays.equals(dead.value(), Arrays.copyOf(poison.value(), copied));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
