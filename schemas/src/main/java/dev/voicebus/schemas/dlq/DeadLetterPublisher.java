package dev.voicebus.schemas.dlq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that a service could not decode or handle to the dead-letter topic, with their
 * original key, value and headers, and the reason in {@link DeadLetterHeaders}. Nothing is dropped
 * silently: a failed dead-letter send is logged with the record's coordinates.
 *
 * <p>A dead-letter record always fits the broker's default 1 MiB limit, so a poison record near the
 * maximum size cannot fail its own dead-lettering (which, in a transaction, would abort and replay
 * it forever): a value over {@link #MAX_VALUE_BYTES}, a key over {@link #MAX_KEY_BYTES} or original
 * headers over {@link #MAX_ORIGINAL_HEADER_BYTES} are cut, and {@link DeadLetterHeaders#TRUNCATED}
 * says what and from which size. The original stays on its topic until retention.
 */
public final class DeadLetterPublisher {

  /** Most bytes of the original value copied to the dead-letter record: 256 KiB. */
  public static final int MAX_VALUE_BYTES = 256 * 1024;

  /** Most bytes of the original key copied (call ids are short): 1 KiB. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Original headers are copied if their keys and values add up to at most this: 16 KiB. */
  public static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;

  /** Longest reason kept in {@link DeadLetterHeaders#ERROR}, in characters. */
  public static final int MAX_ERROR_CHARS = 2000;

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
   * The dead-letter record for {@code failed}: original key, value, timestamp and headers (cut to
   * the limits above), plus the reason in {@link DeadLetterHeaders}. Shared by the consumer loops
   * and the Streams handlers.
   */
  public static ProducerRecord<byte[], byte[]> deadLetterRecord(
      String dlqTopic,
      ConsumerRecord<byte[], byte[]> failed,
      String stage,
      Throwable error,
      String service) {
    List<String> truncated = new ArrayList<>();
    Headers headers = new RecordHeaders();
    int originalHeaderBytes = 0;
    for (Header header : failed.headers()) {
      originalHeaderBytes +=
          header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    if (originalHeaderBytes <= MAX_ORIGINAL_HEADER_BYTES) {
      failed.headers().forEach(headers::add);
    } else {
      truncated.add("original headers dropped (" + originalHeaderBytes + " bytes)");
    }
    byte[] key = cut(failed.key(), MAX_KEY_BYTES, "key", truncated);
    byte[] value = cut(failed.value(), MAX_VALUE_BYTES, "value", truncated);
    put(headers, DeadLetterHeaders.TOPIC, failed.topic());
    put(headers, DeadLetterHeaders.PARTITION, String.valueOf(failed.partition()));
    put(headers, DeadLetterHeaders.OFFSET, String.valueOf(failed.offset()));
    put(headers, DeadLetterHeaders.STAGE, stage);
    put(headers, DeadLetterHeaders.ERROR, reason(error));
    put(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
    put(headers, DeadLetterHeaders.SERVICE, service);
    if (!truncated.isEmpty()) {
      put(headers, DeadLetterHeaders.TRUNCATED, String.join("; ", truncated));
    }
    Long timestamp = failed.timestamp() < 0 ? null : failed.timestamp();
    return new ProducerRecord<>(dlqTopic, null, timestamp, key, value, headers);
  }

  private static byte[] cut(byte[] bytes, int max, String what, List<String> truncated) {
    if (bytes == null || bytes.length <= max) {
      return bytes;
    }
    truncated.add(what + " cut from " + bytes.length + " to " + max + " bytes");
    return Arrays.copyOf(bytes, max);
  }

  private static String reason(Throwable error) {
    String message = String.valueOf(error.getMessage());
    return message.length() <= MAX_ERROR_CHARS
        ? message
        : message.substring(0, MAX_ERROR_CHARS) + "... (" + message.length() + " characters)";
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
