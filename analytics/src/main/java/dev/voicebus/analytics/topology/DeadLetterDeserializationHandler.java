package dev.voicebus.analytics.topology;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the analytics service cannot decode to the dead-letter topic with the reason in
 * headers and carries on, so undecodable bytes never stop a partition. Configured through the
 * Streams property {@link #DLQ_TOPIC_CONFIG}.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  /** Streams config key naming the dead-letter topic. */
  public static final String DLQ_TOPIC_CONFIG = "voicebus.dlq.topic";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private String dlqTopic;
  private String service;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = String.valueOf(configs.get(DLQ_TOPIC_CONFIG));
    service = String.valueOf(configs.get("application.id"));
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn(
        "Undecodable record {}-{}@{} sent to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        dlqTopic,
        exception.getMessage());
    return Response.resume(
        List.of(
            DeadLetterPublisher.deadLetterRecord(dlqTopic, record, "decode", exception, service)));
  }
}
