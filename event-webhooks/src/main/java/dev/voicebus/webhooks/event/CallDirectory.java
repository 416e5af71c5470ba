package dev.voicebus.webhooks.event;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What this instance knows about the live calls of the call.control partitions it owns, from their
 * CallStarted: tenant, agent profile and the source's call id. A CallEnded carries only the call
 * id, so its tenant (which decides who may receive it) comes from here. Filled as records are
 * consumed and, when a partition is assigned, restored from the partition's recent history (see
 * {@code DirectoryRestorer}). An entry goes once its call's CallEnded is committed (until then the
 * CallEnded may be consumed again, after a rebalance or a restarted loop, and must still find its
 * tenant), or when it is older than the look-back (a call whose end was never published). Used only
 * on the poll thread.
 */
public final class CallDirectory {

  /** A call's identity as its CallStarted gave it. */
  public record CallInfo(
      String tenantId,
      String agentProfile,
      Optional<String> externalCallId,
      int partition,
      Instant startedAt) {}

  private final Duration lookback;
  private final Map<String, CallInfo> calls = new HashMap<>();
  private final Map<String, Long> endOffsets = new HashMap<>();
  private final Map<Integer, Long> coveredUpTo = new HashMap<>();

  /**
   * @param lookback how long a call may last at most; older entries are dropped
   */
  public CallDirectory(Duration lookback) {
    this.lookback = lookback;
  }

  public void started(String callId, CallInfo info) {
    calls.put(callId, info);
  }

  public Optional<CallInfo> find(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  /**
   * The call's CallEnded is at {@code offset} of its partition: the entry stays until that offset
   * is committed ({@link #committed}).
   */
  public void ended(String callId, long offset) {
    if (calls.containsKey(callId)) {
      endOffsets.merge(callId, offset, Math::max);
    }
  }

  /** Forgets the call at once (its CallEnded is before the committed position). */
  public void remove(String callId) {
    calls.remove(callId);
    endOffsets.remove(callId);
  }

  /**
   * Offsets below {@code offset} of {@code partition} are committed: calls whose CallEnded is among
   * them go.
   */
  public void committed(int partition, long offset) {
    endOffsets
        .entrySet()
        .removeIf(
            e -> {
              CallInfo info = calls.get(e.getKey());
              if (info == null) {
                return true;
              }
              if (info.partition() == partition && e.getValue() < offset) {
                calls.remove(e.getKey());
                return true;
              }
              return false;
            });
  }

  /** Records that the directory has seen partition {@code partition} up to {@code offset}. */
  public void seen(int partition, long offset) {
    coveredUpTo.merge(partition, offset, Math::max);
  }

  /** The next offset of {@code partition} the directory has not seen, if it saw any. */
  public Optional<Long> nextUnseen(int partition) {
    return Optional.ofNullable(coveredUpTo.get(partition)).map(o -> o + 1);
  }

  /**
   * Forgets a partition this instance no longer owns: its calls are another instance's now, and
   * what happens to them meanwhile is not seen here.
   */
  public void forget(int partition) {
    calls.values().removeIf(c -> c.partition() == partition);
    endOffsets.keySet().retainAll(calls.keySet());
    coveredUpTo.remove(partition);
  }

  /** Forgets every partition not in {@code owned} (after a rebalance moved them away). */
  public void retainPartitions(java.util.Set<Integer> owned) {
    calls.values().removeIf(c -> !owned.contains(c.partition()));
    endOffsets.keySet().retainAll(calls.keySet());
    coveredUpTo.keySet().retainAll(owned);
  }

  /** Drops calls that started longer than the look-back before {@code now}. */
  public int expire(Instant now) {
    Instant cutoff = now.minus(lookback);
    int removed = 0;
    for (Iterator<CallInfo> it = calls.values().iterator(); it.hasNext(); ) {
      if (it.next().startedAt().isBefore(cutoff)) {
        it.remove();
        removed++;
      }
    }
    endOffsets.keySet().retainAll(calls.keySet());
    return removed;
  }

  public int size() {
    return calls.size();
  }

  public Duration lookback() {
    return lookback;
  }
}
