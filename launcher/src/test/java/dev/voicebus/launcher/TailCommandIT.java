package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.launcher.demo.CallFollower;
import dev.voicebus.launcher.tail.TranscriptTail;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code voicebus tail} against a real broker: records of several calls and tenants are produced,
 * and only the selected calls' lines are printed, in the demo's format.
 */
@ExtendWith(KafkaClusterExtension.class)
class TailCommandIT {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private KafkaSettings kafka;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void topics(KafkaCluster cluster) {
    kafka =
        KafkaSettings.from(
            ConfigSource.of(
                Map.of(
                    "kafka.bootstrap.servers", cluster.bootstrapServers(),
                    "topics.prefix", "tail-" + UUID.randomUUID() + ".",
                    "topics.partitions.call-input", "3",
                    "topics.partitions.output", "3",
                    "topics.partitions.reply", "1",
                    "topics.replication-factor", "1")));
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30)).ensureTopics();
    }
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private TranscriptTail tail(CallFollower.Selection selection, boolean events)
      throws InterruptedException {
    var follower =
        new CallFollower(
            selection, new PrintStream(out, true, StandardCharsets.UTF_8), events, true);
    var tail = new TranscriptTail(kafka, follower, Duration.ZERO);
    assertThat(tail.awaitPositioned(Duration.ofSeconds(60)))
        .as("positioned (failure: %s)", tail.failure())
        .isTrue();
    return tail;
  }

  @Test
  void tenantFilterFollowsCallsByTheirCallStartedAndPrintsTheirEvents() throws Exception {
    try (var tail = tail(TailCommand.selection(null, "acme"), true);
        var producer = producer()) {
      // The agent's line arrives before its CallStarted is read: it is held, then printed.
      send(producer, Topics.TRANSCRIPTS, "call-a", transcript("call-a", Speaker.AGENT, "Hello!"));
      send(producer, Topics.CALL_CONTROL, "call-a", started("call-a", "acme"));
      send(producer, Topics.CALL_CONTROL, "call-b", started("call-b", "globex"));
      send(producer, Topics.TRANSCRIPTS, "call-b", transcript("call-b", Speaker.CALLER, "Secret"));
      send(producer, Topics.TRANSCRIPTS, "call-a", transcript("call-a", Speaker.CALLER, "Hi."));
      send(producer, Topics.TOOL_CALLS, "call-a", toolCall("call-a"));
      send(producer, Topics.SESSION_EVENTS, "call-a", summary("call-a"));
      producer.flush();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(printed())
                      .as("tail failure: %s", tail.failure())
                      .contains("call-a call   | started: tenant acme, profile support")
                      .contains("call-a agent  | Hello!")
                      .contains("call-a caller | Hi.")
                      .contains("call-a tool   | -> lookup_order {\"order_id\":\"A1001\"}")
                      .contains("call-a event  | CallSummary"));
      assertThat(printed()).doesNotContain("call-b").doesNotContain("Secret");
    }
  }

  @Test
  void callFilterPrintsThatCallWithoutWaitingForItsCallStartedAndHidesEvents() throws Exception {
    try (var tail = tail(TailCommand.selection("call-c", null), false);
        var producer = producer()) {
      send(producer, Topics.TRANSCRIPTS, "call-d", transcript("call-d", Speaker.CALLER, "Other"));
      send(producer, Topics.TRANSCRIPTS, "call-c", transcript("call-c", Speaker.CALLER, "Mine"));
      send(producer, Topics.SESSION_EVENTS, "call-c", summary("call-c"));
      producer.flush();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(printed()).contains("call-c caller | Mine"));
      assertThat(printed()).doesNotContain("Other").doesNotContain("CallSummary");
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer());
  }

  private <V> void send(
      KafkaProducer<String, byte[]> producer, TopicSpec<String, V> spec, String key, V value) {
    String topic = kafka.catalogue().name(spec);
    producer.send(
        new ProducerRecord<>(topic, key, spec.valueSerde().serializer().serialize(topic, value)));
  }

  private static CallControl started(String callId, String tenant) {
    return new CallControl(
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId(tenant)
            .setAgentProfile("support")
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(Map.of())
            .setReplyRoute(new ReplyRoute("audio.out", 0))
            .setStartedAt(AT)
            .build());
  }

  private static TranscriptEvent transcript(String callId, Speaker who, String text) {
    return new TranscriptEvent(
        callId,
        "item_" + text.length(),
        who,
        TranscriptKind.FINAL,
        text,
        null,
        0L,
        900L,
        false,
        AT,
        null,
        null,
        null);
  }

  private static ToolCall toolCall(String callId) {
    return new ToolCall(
        callId,
        "call_1",
        "lookup_order",
        "{\"order_id\":\"A1001\"}",
        AT.plusSeconds(5),
        AT,
        null,
        "resp_1",
        "item_3",
        null,
        null);
  }

  private static SessionEvent summary(String callId) {
    var usage = new TokenUsage(1L, 2L, 0L, 3L, 4L, 0L, 5L, 6L, 21L);
    return new SessionEvent(
        callId,
        "sess_1",
        AT,
        new CallSummary("caller hung up", 1000L, 1, 1, 0, usage, 0.01),
        null,
        null,
        null,
        null);
  }
}
