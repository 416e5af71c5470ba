package dev.voicebus.tools.executor;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition that were consumed but are not finished yet. Tools finish out of
 * order, so only the contiguous prefix is committable: the next offset to commit is the lowest
 * unfinished offset, or one past the highest finished offset when nothing is pending. Used only on
 * the poll thread.
 */
final class OffsetTracker {

  private final TreeSet<Long> pending = new TreeSet<>();
  private long highestFinished = -1;
  private long lastCommitted = -1;

  /** A record at {@code offset} was consumed and is being processed. */
  void started(long offset) {
    pending.add(offset);
  }

  /** The record at {@code offset} has its result in the current transaction. */
  void finished(long offset) {
    pending.remove(offset);
    highestFinished = Math.max(highestFinished, offset);
  }

  int pendingCount() {
    return pending.size();
  }

  /**
   * The offset to commit if it moved since the last {@link #committed(long)}, i.e. the position the
   * group should resume from after a restart.
   */
  OptionalLong committable() {
    long next = pending.isEmpty() ? highestFinished + 1 : pending.first();
    return next > lastCommitted && next > 0 ? OptionalLong.of(next) : OptionalLong.empty();
  }

  /** The transaction that carried {@code offset} committed. */
  void committed(long offset) {
    lastCommitted = Math.max(lastCommitted, offset);
  }
}
