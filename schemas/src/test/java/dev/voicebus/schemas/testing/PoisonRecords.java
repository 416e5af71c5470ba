package dev.voicebus.schemas.testing;

import dev.voicebus.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A corpus of hostile records for any topic of the contract, for tests of every consumer (tool
 * executor, ingest playback, the worker's Streams handlers): garbage, a truncated body, an unknown
 * writer schema, a string whose declared length (1.5 GB) is far past the record's end, a null key,
 * a null value, and a value near the broker's default 1 MiB limit. Each is built from one valid
 * sample record so it is aimed at the topic's real schema. Published in the schemas test-jar.
 */
public final class PoisonRecords {

  /** The declared string length of {@link Kind#DECLARED_LENGTH_PAST_END}: 1.5 GB. */
  public static final long HUGE_DECLARED_LENGTH = 1_500_000_000L;

  /**
   * Size of the {@link Kind#NEAR_MAX_SIZE} value: under the producer's default {@code
   * max.request.size} and the broker's default {@code message.max.bytes} (both about 1 MiB) with
   * its key and headers, so a default producer can send it.
   */
  public static final int NEAR_MAX_SIZE_BYTES = 1_000_000;

  /** The kinds of poison, each with a text the dead-letter reason contains. */
  public enum Kind {
    GARBAGE("Cannot decode"),
    TRUNCATED("Cannot decode"),
    UNKNOWN_WRITER_SCHEMA("Unknown writer schema"),
    DECLARED_LENGTH_PAST_END(Long.toString(HUGE_DECLARED_LENGTH)),
    NULL_KEY("null key"),
    NULL_VALUE("null value"),
    NEAR_MAX_SIZE("Cannot decode");

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    /** A text that the {@code voicebus.dlq.error} header of this poison contains. */
    public String reason() {
      return reason;
    }
  }

  /**
   * One hostile record: key and value bytes as a producer would send them (either may be null).
   *
   * @param kind what is wrong with it
   * @param key the key bytes, null for {@link Kind#NULL_KEY}
   * @param value the value bytes, null for {@link Kind#NULL_VALUE}
   */
  public record Poison(Kind kind, byte[] key, byte[] value) {
    @Override
    public String toString() {
      return kind + " (" + (value == null ? "no" : value.length) + " value bytes)";
    }
  }

  private PoisonRecords() {}

  /**
   * Every kind of poison for a topic whose values {@code serde} encodes, keyed by {@code callId}.
   * {@code sample} must be a valid record containing {@code callId} as a string (every contract
   * record has a callId field).
   */
  public static <V extends SpecificRecord> List<Poison> all(
      AvroSerde<V> serde, V sample, String callId) {
    byte[] key = callId.getBytes(StandardCharsets.UTF_8);
    byte[] valid = serde.encode(sample);
    return List.of(
        new Poison(Kind.GARBAGE, key, garbage()),
        new Poison(Kind.TRUNCATED, key, Arrays.copyOf(valid, 10 + (valid.length - 10) / 2)),
        new Poison(Kind.UNKNOWN_WRITER_SCHEMA, key, unknownWriterSchema(valid)),
        new Poison(
            Kind.DECLARED_LENGTH_PAST_END,
            key,
            declaredLength(valid, callId, HUGE_DECLARED_LENGTH)),
        new Poison(Kind.NULL_KEY, null, valid),
        new Poison(Kind.NULL_VALUE, key, null),
        new Poison(Kind.NEAR_MAX_SIZE, key, nearMaxSize(valid)));
  }

  /** Bytes that are not single-object encoded Avro at all. */
  public static byte[] garbage() {
    return "{\"not\": \"avro\", \"but\": \"json a confused producer sent\"}"
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code valid} with its schema fingerprint inverted: a writer schema no reader knows. */
  public static byte[] unknownWriterSchema(byte[] valid) {
    byte[] copy = valid.clone();
    for (int i = 2; i < 10; i++) {
      copy[i] = (byte) ~copy[i];
    }
    return copy;
  }

  /**
   * {@code valid} with the length prefix of the string {@code text} replaced by {@code declared},
   * so the record claims a string far longer than the bytes that follow (the issue-13 OOM record).
   *
   * @throws IllegalArgumentException if {@code text} is not encoded in {@code valid}
   */
  public static byte[] declaredLength(byte[] valid, String text, long declared) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = zigZagVarLong(body.length);
    byte[] encoded = concat(prefix, body);
    int at = indexOf(valid, encoded);
    if (at < 0) {
      throw new IllegalArgumentException(
          "The sample record does not contain the string '"
              + text
              + "'; build it with that call id");
    }
    var out = new ByteArrayOutputStream();
    out.write(valid, 0, at);
    out.writeBytes(zigZagVarLong(declared));
    out.write(valid, at + prefix.length, valid.length - at - prefix.length);
    return out.toByteArray();
  }

  /**
   * A {@link #NEAR_MAX_SIZE_BYTES} value: {@code valid}'s header (known schema), then bytes that
   * never end a varint, so decoding fails at once however the size is handled.
   */
  public static byte[] nearMaxSize(byte[] valid) {
    byte[] value = new byte[NEAR_MAX_SIZE_BYTES];
    Arrays.fill(value, (byte) 0xFF);
    System.arraycopy(valid, 0, value, 0, 10);
    return value;
  }

  static byte[] zigZagVarLong(long value) {
    long n = (value << 1) ^ (value >> 63);
    var out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 10; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
