package dev.voicebus.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What a dead-letter record keeps of the original, and how it stays within the size limit. */
class DeadLetterPublisherTest {

  private static ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> failed) {
    return DeadLetterPublisher.deadLetterRecord(
        "dlq", failed, "decode", new IllegalStateException("bad bytes"), "test");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aSmallRecordIsCopiedWholeWithItsHeadersAndTheReason() {
    var failed = new ConsumerRecord<>("audio.in", 3, 42L, "call-1".getBytes(), new byte[] {1, 2});
    failed.headers().add("trace", "abc".getBytes());

    var dead = deadLetter(failed);

    assertThat(dead.key()).isEqualTo("call-1".getBytes());
    assertThat(dead.value()).containsExactly(1, 2);
    assertThat(header(dead, "trace")).isEqualTo("abc");
    assertThat(header(dead, DeadLetterHeaders.ERROR)).isEqualTo("bad bytes");
    assertThat(header(dead, DeadLetterHeaders.PARTITION)).isEqualTo("3");
    assertThat(header(dead, DeadLetterHeaders.TRUNCATED)).isNull();
  }

  @Test
  void anOversizedKeyValueAndHeadersAreCutAndTheCutIsRecorded() {
    byte[] key = new byte[5000];
    byte[] value = new byte[1_000_000];
    var failed = new ConsumerRecord<>("audio.in", 0, 7L, key, value);
    failed.headers().add("big", new byte[20_000]);

    var dead = deadLetter(failed);

    assertThat(dead.key()).hasSize(DeadLetterPublisher.MAX_KEY_BYTES);
    assertThat(dead.value()).hasSize(DeadLetterPublisher.MAX_VALUE_BYTES);
    assertThat(dead.headers().lastHeader("big")).isNull();
    assertThat(header(dead, DeadLetterHeaders.TRUNCATED))
        .contains("original headers dropped (20003 bytes)")
        .contains("key cut from 5000 to 1024 bytes")
        .contains("value cut from 1000000 to 262144 bytes");
  }

  @Test
  void aVeryLongReasonIsShortenedAndSaysByHowMuch() {
    char[] text = new char[10_000];
    Arrays.fill(text, 'x');
    var failed = new ConsumerRecord<>("audio.in", 0, 7L, new byte[0], new byte[0]);

    var dead =
        DeadLetterPublisher.deadLetterRecord(
            "dlq", failed, "handle", new IllegalStateException(new String(text)), "test");

    assertThat(header(dead, DeadLetterHeaders.ERROR))
        .hasSize(DeadLetterPublisher.MAX_ERROR_CHARS + "... (10000 characters)".length())
        .endsWith("... (10000 characters)");
  }

  @Test
  void nullKeyAndValueStayNull() {
    var failed = new ConsumerRecord<byte[], byte[]>("audio.in", 0, 7L, null, null);

    var dead = deadLetter(failed);

    assertThat(dead.key()).isNull();
    assertThat(dead.value()).isNull();
  }
}
