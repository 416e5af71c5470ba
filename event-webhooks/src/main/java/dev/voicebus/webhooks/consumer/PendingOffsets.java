package dev.voicebus.webhooks.consumer;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The consumed records of one partition whose deliveries are not all settled. Deliveries settle out
 * of order (one endpoint is slower than another), so only the contiguous prefix is committable: the
 * next offset to commit is the lowest record with unsettled deliveries, or one past the highest
 * record seen when none is pending. A crash therefore redelivers every record with an event not yet
 * delivered or dead-lettered. Used only on the poll thread.
 */
final class PendingOffsets {

  private final TreeMap<Long, Integer> pending = new TreeMap<>();
  private long highestSeen = -1;
  private long lastCommitted = -1;
  private int deliveries;

  /** The record at {@code offset} was consumed and made {@code count} deliveries (maybe none). */
  void started(long offset, int count) {
    highestSeen = Math.max(highestSeen, offset);
    if (count > 0) {
      pending.merge(offset, count, Integer::sum);
      deliveries += count;
    }
  }

  /** One delivery of the record at {@code offset} was delivered or dead-lettered. */
  void settled(long offset) {
    Integer left = pending.get(offset);
    if (left == null) {
      return;
    }
    deliveries--;
    if (left == 1) {
      pending.remove(offset);
    } else {
      pending.put(offset, left - 1);
    }
  }

  /** Deliveries made from this partition's records and not settled yet. */
  int deliveries() {
    return deliveries;
  }

  /** The offset to commit, if it moved since the last {@link #committed(long)}. */
  OptionalLong committable() {
    long next = pending.isEmpty() ? highestSeen + 1 : pending.firstKey();
    return next > lastCommitted && next > 0 ? OptionalLong.of(next) : OptionalLong.empty();
  }

  void committed(long offset) {
    lastCommitted = Math.max(lastCommitted, offset);
  }
}
