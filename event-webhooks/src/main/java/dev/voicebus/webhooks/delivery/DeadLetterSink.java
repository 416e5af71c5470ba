package dev.voicebus.webhooks.delivery;

import dev.voicebus.avro.WebhookDeadLetter;
import dev.voicebus.avro.WebhookFailure;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.event.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes a delivery that was given up to {@code webhooks.dlq} as a {@link WebhookDeadLetter}
 * (key: the call id): the event as it would have been sent, the endpoint, the attempts, the last
 * status and error, and the source record. The future completes when the broker has it, which is
 * when the delivery counts as settled.
 */
public final class DeadLetterSink {

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Serializer<WebhookDeadLetter> values =
      Topics.WEBHOOKS_DLQ.valueSerde().serializer();

  /**
   * @param producer an idempotent byte-array producer the caller owns
   * @param topic the full name of {@code webhooks.dlq}
   */
  public DeadLetterSink(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public CompletableFuture<Void> publish(Delivery delivery, WebhookFailure reason, Instant now) {
    WebhookEvent event = delivery.event();
    var record =
        WebhookDeadLetter.newBuilder()
            .setWebhookId(event.id())
            .setEventType(event.type().wireName())
            .setCallId(event.callId())
            .setTenantId(event.tenantId())
            .setAgentProfile(event.agentProfile())
            .setEndpointId(delivery.endpoint().id())
            .setUrl(delivery.endpoint().safeUrl())
            .setPayloadJson(event.body())
            .setReason(reason)
            .setAttempts(delivery.attempts())
            .setLastStatus(
                delivery.lastStatus().isPresent() ? delivery.lastStatus().getAsInt() : null)
            .setLastError(delivery.lastError())
            .setFirstAttemptAt(delivery.firstAttemptAt().orElse(null))
            .setDeadLetteredAt(now)
            .setSourceTopic(event.source().topic())
            .setSourcePartition(event.source().partition())
            .setSourceOffset(event.source().offset())
            .build();
    var done = new CompletableFuture<Void>();
    producer.send(
        new ProducerRecord<>(
            topic,
            event.callId().getBytes(StandardCharsets.UTF_8),
            values.serialize(topic, record)),
        (metadata, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else {
            done.complete(null);
          }
        });
    return done;
  }
}
