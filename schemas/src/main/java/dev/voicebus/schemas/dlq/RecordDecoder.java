package dev.voicebus.schemas.dlq;

import dev.voicebus.schemas.topic.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a raw record of one contract topic into a typed one, or refuses it with the reason a
 * dead-letter record should carry: a null key or value ({@link PoisonRecordException}), or bytes
 * the topic's serdes cannot read (a {@link org.apache.kafka.common.errors.SerializationException}
 * from {@link dev.voicebus.schemas.serde.AvroSerde}, which bounds what it allocates by the record's
 * size). Every consumer outside Kafka Streams decodes through one, so none of them can be stopped
 * by what a record contains. Thread-safe.
 */
public final class RecordDecoder<K, V> {

  private final TopicSpec<K, V> spec;

  public RecordDecoder(TopicSpec<K, V> spec) {
    this.spec = spec;
  }

  /**
   * The decoded record.
   *
   * @throws org.apache.kafka.common.errors.SerializationException with the reason, if the record
   *     breaks the contract
   */
  public ConsumerRecord<K, V> decode(ConsumerRecord<byte[], byte[]> raw) {
    V value = value(raw);
    K key = spec.keySerde().deserializer().deserialize(raw.topic(), raw.headers(), raw.key());
    return new ConsumerRecord<>(
        raw.topic(),
        raw.partition(),
        raw.offset(),
        raw.timestamp(),
        raw.timestampType(),
        raw.serializedKeySize(),
        raw.serializedValueSize(),
        key,
        value,
        raw.headers(),
        raw.leaderEpoch(),
        raw.deliveryCount());
  }

  /** Only the value, after the same checks as {@link #decode}. */
  public V value(ConsumerRecord<byte[], byte[]> raw) {
    if (raw.key() == null) {
      throw PoisonRecordException.nullKey(raw.topic());
    }
    if (raw.value() == null) {
      throw PoisonRecordException.nullValue(raw.topic());
    }
    return spec.valueSerde().deserializer().deserialize(raw.topic(), raw.headers(), raw.value());
  }
}
