package dev.voicebus.ingest.playback;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the node's playback consumers are in the reply partition, shared by the consumer a
 * supervisor replaces and its replacement: the next offset to read (so instructions published while
 * the consumer was down are played late, not lost), and the record that was being handled if the
 * consumer died with it in hand (so the replacement dead-letters it instead of dying on it again).
 * Thread-safe.
 */
public final class PlaybackCursor {

  /** A record a consumer died handling, and what killed it. */
  record Casualty(ConsumerRecord<byte[], byte[]> record, Throwable cause) {}

  private long next = -1;
  private ConsumerRecord<byte[], byte[]> inHand;
  private Casualty casualty;

  /** The offset to resume from, or -1 before the first consumer positioned itself. */
  synchronized long next() {
    return next;
  }

  /** The first consumer starts at the partition's end: older audio is for calls long gone. */
  synchronized void startAt(long offset) {
    if (next < 0) {
      next = offset;
    }
  }

  synchronized void handling(ConsumerRecord<byte[], byte[]> record) {
    inHand = record;
  }

  synchronized void handled(ConsumerRecord<byte[], byte[]> record) {
    inHand = null;
    next = record.offset() + 1;
  }

  /** The consumer died; a record it held becomes the casualty, skipped by the next one. */
  synchronized void died(Throwable cause) {
    if (inHand != null) {
      casualty = new Casualty(inHand, cause);
      next = inHand.offset() + 1;
      inHand = null;
    }
  }

  /** The record the previous consumer died handling, once. */
  synchronized Optional<Casualty> takeCasualty() {
    Optional<Casualty> taken = Optional.ofNullable(casualty);
    casualty = null;
    return taken;
  }
}
