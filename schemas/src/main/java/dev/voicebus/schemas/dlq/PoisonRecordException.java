package dev.voicebus.schemas.dlq;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A consumed record that breaks the topic contract in a way the serdes alone do not catch: no key
 * where the key is the call id, or no value. Its message is the dead-letter reason. Thrown by
 * {@link RecordDecoder}; Streams processors can throw the same so their handlers dead-letter it.
 */
public final class PoisonRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private PoisonRecordException(String message) {
    super(message);
  }

  /** A record on {@code topic} without a key. */
  public static PoisonRecordException nullKey(String topic) {
    return new PoisonRecordException(
        "null key: every record on " + topic + " must have a key; the producer must set it");
  }

  /** A record on {@code topic} without a value (a tombstone where none is expected). */
  public static PoisonRecordException nullValue(String topic) {
    return new PoisonRecordException(
        "null value: records on " + topic + " carry a contract record; tombstones are not used");
  }
}
