package dev.voicebus.schemas.dlq;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that a service could not decode or handle to the dead-letter topic, with their
 * original key, value and headers, and the reason in {@link DeadLetterHeaders}. Nothing is dropped
 * silently: a failed dead-letter send is logged with the record's coordinates.
 */
public final class DeadLetterPublisher {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final Producer<byte[], byte[]> producer;
  private final String dlqTopic;
  private final String service;

  /**
   * @param producer a byte-array producer the caller owns and closes
   * @param dlqTopic the dead-letter topic's full name
   * @param service the service name recorded in {@link DeadLetterHeaders#SERVICE}
   */
  public DeadLetterPublisher(Producer<byte[], byte[]> producer, String dlqTopic, String service) {
    this.producer = producer;
    this.dlqTopic = dlqTopic;
    this.service = service;
  }

  /** Publishes {@code failed} with the reason; completes when the broker has it. */
  public CompletableFuture<Void> publish(
      ConsumerRecord<byte[], byte[]> failed, String stage, Throwable error) {
    var record = deadLetterRecord(dlqTopic, failed, stage, error, service);
    var done = new CompletableFuture<Void>();
    producer.send(
        record,
        (metadata, sendError) -> {
          if (sendError != null) {
            log.error(
                "Could not dead-letter {}-{}@{} ({}): {}",
                failed.topic(),
                failed.partition(),
                failed.offset(),
                error.getMessage(),
                sendError.toString());
            done.completeExceptionally(sendError);
          } else {
            done.complete(null);
          }
        });
    log.warn(
        "Dead-lettered {}-{}@{} at stage {}: {}",
        failed.topic(),
        failed.partition(),
        failed.offset(),
        stage,
        error.getMessage());
    return done;
  }

  /**
   * The dead-letter record for {@code failed}: original key, value, timestamp and headers, plus the
   * reason in {@link DeadLetterHeaders}. Shared by the consumer loops and the Streams handler.
   */
  public static ProducerRecord<byte[], byte[]> deadLetterRecord(
      String dlqTopic,
      ConsumerRecord<byte[], byte[]> failed,
      String stage,
      Throwable error,
      String service) {
    Headers headers = new RecordHeaders(failed.headers().toArray());
    put(headers, DeadLetterHeaders.TOPIC, failed.topic());
    put(headers, DeadLetterHeaders.PARTITION, String.valueOf(failed.partition()));
    put(headers, DeadLetterHeaders.OFFSET, String.valueOf(failed.offset()));
    put(headers, DeadLetterHeaders.STAGE, stage);
    put(headers, DeadLetterHeaders.ERROR, String.valueOf(error.getMessage()));
    put(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
    put(headers, DeadLetterHeaders.SERVICE, service);
    Long timestamp = failed.timestamp() < 0 ? null : failed.timestamp();
    return new ProducerRecord<>(dlqTopic, null, timestamp, failed.key(), failed.value(), headers);
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
