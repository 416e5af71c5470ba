package dev.voicebus.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.sandbox.sip.SipCallRequest;
import dev.voicebus.realtime.sandbox.sip.SipCallState;
import dev.voicebus.realtime.sandbox.sip.SipEndReason;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The local stack wires OpenAI's SIP path through the sandbox: a simulated call to the dev number
 * arrives at ingest as a signed webhook and becomes {@code CallStarted{SIP}}, the worker accepts it
 * and runs it over its sideband to the end of the caller's script (transcripts and the order lookup
 * on the topics, the call's end on call.control, which ingest waits for to release the tenant's
 * capacity); a call to another number is rejected through the sandbox's calls API.
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

      // The worker runs the routed call end to end: the caller hangs up after the script.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> sip.call(routed).orElseThrow().state() == SipCallState.ENDED);
      assertThat(sip.call(routed).orElseThrow().endReason()).isEqualTo(SipEndReason.CALLER_HUNG_UP);
      String callId = started.getCallId();
      CallEnded ended =
          (CallEnded)
              first(
                      stack,
                      Topics.CALL_CONTROL,
                      v -> v.getEvent() instanceof CallEnded e && e.getCallId().equals(callId))
                  .getEvent();
      assertThat(ended.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
      TranscriptEvent answer =
          first(
              stack,
              Topics.TRANSCRIPTS,
              t ->
                  t.getCallId().equals(callId)
                      && t.getRole() == Speaker.AGENT
                      && t.getKind() == TranscriptKind.FINAL
                      && t.getText().contains("A1001"));
      assertThat(answer.getExternalCallId()).isEqualTo(routed);
      ToolCall lookup = first(stack, Topics.TOOL_CALLS, c -> c.getCallId().equals(callId));
      assertThat(lookup.getName()).isEqualTo("lookup_order");
      assertThat(first(stack, Topics.TOOL_RESULTS, r -> r.getCallId().equals(callId)).getStatus())
          .isEqualTo(ToolStatus.OK);
    }
  }

  /** The first record of {@code spec} matching {@code wanted}, read from the beginning. */
  private static <V> V first(LocalStack stack, TopicSpec<String, V> spec, Predicate<V> wanted) {
    Map<String, Object> config = new HashMap<>(stack.kafka().clientConfig());
    String topic = stack.kafka().catalogue().name(spec);
    List<V> found = new ArrayList<>();
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
                  V value = spec.valueSerde().deserializer().deserialize(topic, r.value());
                  if (wanted.test(value)) {
                    found.add(value);
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
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
