package dev.voicebus.analytics.topology;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the analytics service's Streams producer does with a record the broker will never take (too
 * large) or that cannot be serialized: it goes to the dead-letter topic (cut to size) with the
 * reason, and processing goes on, instead of failing the stream thread on every retry. Anything
 * else (a broker that is away, a fenced producer) fails as Streams' default does, so Streams
 * recovers the task.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private String dlqTopic;
  private String service;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = String.valueOf(configs.get(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG));
    service = String.valueOf(configs.get("application.id"));
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
    if (!(error instanceof RecordTooLargeException)) {
      return Response.fail();
    }
    return deadLetter(record.topic(), record.key(), record.value(), error);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception error,
      SerializationExceptionOrigin origin) {
    return deadLetter(record.topic(), null, null, error);
  }

  private Response deadLetter(String topic, byte[] key, byte[] value, Exception error) {
    log.error(
        "A record for {} cannot be written; sent to {}: {}", topic, dlqTopic, error.toString());
    var failed =
        new ConsumerRecord<>(
            topic,
            -1,
            -1L,
            -1L,
            TimestampType.NO_TIMESTAMP_TYPE,
            key == null ? -1 : key.length,
            value == null ? -1 : value.length,
            key,
            value,
            new RecordHeaders(),
            java.util.Optional.empty());
    return Response.resume(
        List.of(DeadLetterPublisher.deadLetterRecord(dlqTopic, failed, "produce", error, service)));
  }
}
