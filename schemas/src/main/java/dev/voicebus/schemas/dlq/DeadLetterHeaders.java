package dev.voicebus.schemas.dlq;

/**
 * Header names on dead-letter records. Values are UTF-8 strings; the original record's own headers
 * are kept as they were.
 */
public final class DeadLetterHeaders {

  /** Topic the record was read from. */
  public static final String TOPIC = "voicebus.dlq.topic";

  /** Partition the record was read from. */
  public static final String PARTITION = "voicebus.dlq.partition";

  /** Offset of the record in that partition. */
  public static final String OFFSET = "voicebus.dlq.offset";

  /**
   * {@code decode} when the record breaks the contract (unreadable bytes, unknown writer schema, a
   * length past its end, a null key or value), {@code handle} when processing it failed.
   */
  public static final String STAGE = "voicebus.dlq.stage";

  /** What went wrong, in words. */
  public static final String ERROR = "voicebus.dlq.error";

  /** Class name of the exception. */
  public static final String EXCEPTION = "voicebus.dlq.exception";

  /** The service (consumer group) that gave up on the record. */
  public static final String SERVICE = "voicebus.dlq.service";

  /**
   * Present only when the copy is not the whole original: what was cut and from which size, e.g.
   * {@code value cut from 1000000 to 262144 bytes}.
   */
  public static final String TRUNCATED = "voicebus.dlq.truncated";

  private DeadLetterHeaders() {}
}
