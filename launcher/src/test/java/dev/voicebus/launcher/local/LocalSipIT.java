package dev.voicebus.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.realtime.sandbox.sip.SipCallRequest;
import dev.voicebus.realtime.sandbox.sip.SipCallState;
import dev.voicebus.realtime.sandbox.sip.SipEndReason;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The local stack wires OpenAI's SIP path through the sandbox: a simulated call to the dev number
 * arrives at ingest as a signed webhook and becomes {@code CallStarted{SIP}}; a call to another
 * number is rejected through the sandbox's calls API.
 */
class LocalSipIT {

  @Test
  void aSimulatedSipCallReachesCallControlAndAnUnroutedOneIsRejected() throws Exception {
    var options = new LocalOptions(Optional.empty(), 0, 0, Map.of());
    try (var stack = LocalStack.start(options, line -> {})) {
      var sip = stack.sandbox().orElseThrow().sip();
      assertThat(stack.sipRoutes()).hasValue(LocalStack.DEV_SIP_NUMBER + "=support");

      String routed =
          sip.placeCall(SipCallRequest.of("+15550100001", LocalStack.DEV_SIP_NUMBER)).callId();
      String unrouted = sip.placeCall(SipCallRequest.of("+15550100001", "+15559999999")).callId();

      CallStarted started = startedFor(stack, routed);
      assertThat(started.getSource()).isEqualTo(CallSource.SIP);
      assertThat(started.getAgentProfile()).isEqualTo("support");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sip.call(unrouted).orElseThrow().state() == SipCallState.ENDED);
      assertThat(sip.call(unrouted).orElseThrow().endReason()).isEqualTo(SipEndReason.REJECTED);
      assertThat(sip.call(unrouted).orElseThrow().rejectStatus()).isEqualTo(404);
    }
  }

  private static CallStarted startedFor(LocalStack stack, String openAiCallId) {
    Map<String, Object> config = new HashMap<>(stack.kafka().clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    String topic = stack.kafka().catalogue().name(Topics.CALL_CONTROL);
    AvroSerde<CallControl> serde = AvroSerde.of(CallControl.class);
    List<CallStarted> found = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                  if (serde.decode(r.value()).getEvent() instanceof CallStarted s
                      && openAiCallId.equals(s.getExternalCallId())) {
                    found.add(s);
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }
}
