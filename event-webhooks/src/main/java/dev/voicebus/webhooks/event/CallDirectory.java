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
 * {@code DirectoryRestorer}). An entry goes at its call's CallEnded, or when it is older than the
 * look-back (a call whose end was never published). Used only on the poll thread.
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

  public void ended(String callId) {
    calls.remove(callId);
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
    coveredUpTo.remove(partition);
  }

  /** Forgets every partition not in {@code owned} (after a rebalance moved them away). */
  public void retainPartitions(java.util.Set<Integer> owned) {
    calls.values().removeIf(c -> !owned.contains(c.partition()));
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
    return removed;
  }

  public int size() {
    return calls.size();
  }

  public Duration lookback() {
    return lookback;
  }
}
