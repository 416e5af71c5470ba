package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends ToolResults inside the loop's open transaction: to tool.results keyed by call id (so the
 * worker owning the call reads it), and to tool.dedupe keyed by toolCallId on the call's partition
 * number with the call's offset and the {@code committed} phase in headers. A failed send makes the
 * commit fail, which aborts.
 */
final class ResultSender {

  private static final Logger log = LoggerFactory.getLogger(ResultSender.class);

  private final Producer<byte[], byte[]> producer;
  private final String resultsTopic;
  private final String dedupeTopic;
  private final AvroSerde<ToolResult> serde = AvroSerde.of(ToolResult.class);

  ResultSender(Producer<byte[], byte[]> producer, String resultsTopic, String dedupeTopic) {
    this.producer = producer;
    this.resultsTopic = resultsTopic;
    this.dedupeTopic = dedupeTopic;
  }

  /** The result for the worker; {@code traceparent} names the span that produced it, if any. */
  void sendResult(ToolResult result, Optional<String> traceparent) {
    var headers = new RecordHeaders();
    traceparent.ifPresent(
        value -> headers.add(TraceHeaders.TRACEPARENT, value.getBytes(StandardCharsets.UTF_8)));
    producer.send(
        new ProducerRecord<>(
            resultsTopic, null, utf8(result.getCallId()), serde.encode(result), headers),
        (metadata, error) -> logFailure(result, error));
  }

  void sendDedupe(ToolResult result, int partition, long sourceOffset) {
    var headers = new RecordHeaders();
    headers.add(DedupeStore.SOURCE_OFFSET_HEADER, DedupeStore.offsetHeader(sourceOffset));
    headers.add(DedupeStore.PHASE_HEADER, DedupeStore.Phase.COMMITTED.header());
    producer.send(
        new ProducerRecord<>(
            dedupeTopic, partition, utf8(result.getToolCallId()), serde.encode(result), headers),
        (metadata, error) -> logFailure(result, error));
  }

  private static void logFailure(ToolResult result, Exception error) {
    if (error != null) {
      // The transaction fails to commit and is aborted; the call is processed again.
      log.warn(
          "Could not send the result of tool call {} of call {}: {}",
          result.getToolCallId(),
          result.getCallId(),
          error.toString());
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
