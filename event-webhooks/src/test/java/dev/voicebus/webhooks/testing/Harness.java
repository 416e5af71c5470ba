package dev.voicebus.webhooks.testing;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.WebhookDeadLetter;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.schemas.TestTopics;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.TopicSpec;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.EventWebhooksService;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One test's world: its own topics on the shared broker, its own consumer group, a webhooks file,
 * the service under test (restartable), and typed producers for the call topics.
 */
public final class Harness implements AutoCloseable {

  private final KafkaCluster cluster;
  private final TopicCatalogue catalogue;
  private final Map<String, String> settings = new HashMap<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private EventWebhooksService service;

  public Harness(KafkaCluster cluster, Path dir, String webhooksYaml, Map<String, String> extra) {
    this.cluster = cluster;
    this.catalogue = TestTopics.createCatalogue(cluster, 2);
    this.producer = TestTopics.bytesProducer(cluster);
    Path file = dir.resolve("webhooks-" + UUID.randomUUID() + ".yaml");
    try {
      Files.writeString(file, webhooksYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
    settings.put("topics.prefix", catalogue.settings().prefix());
    settings.put("topics.partitions.call-input", "2");
    settings.put("topics.partitions.reply", "2");
    settings.put("topics.partitions.output", "2");
    settings.put(EventWebhooksConfig.WEBHOOKS_FILE, file.toString());
    settings.put("event-webhooks.group-id", "webhooks-" + UUID.randomUUID());
    settings.put("event-webhooks.start-from", "earliest");
    settings.put("event-webhooks.admin-host", "127.0.0.1");
    settings.put("event-webhooks.admin-port", "0");
    settings.put("event-webhooks.commit-interval", "100ms");
    settings.put("event-webhooks.retry.max-attempts", "3");
    settings.put("event-webhooks.retry.initial-backoff", "50ms");
    settings.put("event-webhooks.retry.max-backoff", "200ms");
    settings.put("event-webhooks.timeout", "2s");
    settings.putAll(extra);
  }

  /** A second instance of {@code first}'s service: same topics, group and webhooks file. */
  public Harness(KafkaCluster cluster, Harness first) {
    this.cluster = cluster;
    this.catalogue = first.catalogue;
    this.producer = TestTopics.bytesProducer(cluster);
    this.settings.putAll(first.settings);
  }

  public EventWebhooksService start() {
    ConfigSource source = ConfigSource.of(settings);
    service =
        new EventWebhooksService(EventWebhooksConfig.from(source), KafkaSettings.from(source));
    service.start();
    return service;
  }

  /** Graceful stop, as on SIGTERM. */
  public void stop() {
    if (service != null) {
      service.close();
      service = null;
    }
  }

  public String groupId() {
    return settings.get("event-webhooks.group-id");
  }

  public TopicCatalogue catalogue() {
    return catalogue;
  }

  public void callStarted(String callId, String tenant) {
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId(tenant)
            .setAgentProfile("support")
            .setSource(CallSource.TWILIO)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(Map.of("From", "+15550100999"))
            .setExternalCallId("CA-" + callId)
            .setReplyRoute(new ReplyRoute("reply", 0))
            .setStartedAt(Instant.now())
            .build();
    send(Topics.CALL_CONTROL, callId, new CallControl(started));
  }

  public void callEnded(String callId) {
    send(
        Topics.CALL_CONTROL,
        callId,
        new CallControl(
            new CallEnded(callId, CallEndReason.CALLER_HANGUP, null, 10L, Instant.now(), null)));
  }

  public void summary(String callId, String tenant) {
    send(
        Topics.SESSION_EVENTS,
        callId,
        new SessionEvent(
            callId,
            "sess_" + callId,
            Instant.now(),
            new CallSummary(
                "caller hung up", 61_000L, 4, 1, 0, TokenUsage.newBuilder().build(), 0.05),
            null,
            tenant,
            "support",
            null));
  }

  /** Bytes that are no CallControl, on call.control. */
  public void garbage(String callId) {
    producer.send(
        new ProducerRecord<>(
            catalogue.name(Topics.CALL_CONTROL), callId.getBytes(), new byte[] {1, 2, 3}));
    producer.flush();
  }

  private <V> void send(TopicSpec<String, V> spec, String key, V value) {
    String topic = catalogue.name(spec);
    producer.send(
        new ProducerRecord<>(
            topic,
            spec.keySerde().serializer().serialize(topic, key),
            spec.valueSerde().serializer().serialize(topic, value)));
    producer.flush();
  }

  /** The dead letters on webhooks.dlq (waits for {@code count} of them, 30 s at most). */
  public List<WebhookDeadLetter> deadLetters(int count) {
    String topic = catalogue.name(Topics.WEBHOOKS_DLQ);
    return TestTopics.readRaw(cluster, topic, count).stream()
        .map(ConsumerRecord::value)
        .map(v -> Topics.WEBHOOKS_DLQ.valueSerde().deserializer().deserialize(topic, v))
        .toList();
  }

  @Override
  public void close() {
    stop();
    producer.close();
  }
}
