package dev.voicebus.analytics.topology;

import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the analytics service could decode but not process (a null key, a failure while handling
 * it) goes to the dead-letter topic with the original bytes and the reason, and the stream thread
 * moves on to the next record: one bad record never stops a partition, and never kills the thread
 * so that a replacement re-reads it and dies again.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

  private String dlqTopic;
  private String service;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = String.valueOf(configs.get(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG));
    service = String.valueOf(configs.get("application.id"));
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception error) {
    log.warn(
        "Record {}-{}@{} could not be processed; sent to {}: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        dlqTopic,
        String.valueOf(error.getMessage()));
    return Response.resume(
        List.of(
            DeadLetterPublisher.deadLetterRecord(
                dlqTopic, source(context), "process", error, service)));
  }

  /** The record as it was read, from the bytes Streams kept for this purpose. */
  static ConsumerRecord<byte[], byte[]> source(ErrorHandlerContext context) {
    byte[] key = context.sourceRawKey();
    byte[] value = context.sourceRawValue();
    return new ConsumerRecord<>(
        context.topic(),
        context.partition(),
        context.offset(),
        context.timestamp(),
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        context.headers() == null ? new RecordHeaders() : context.headers(),
        java.util.Optional.empty());
  }
}
