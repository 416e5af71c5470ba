package dev.voicebus.tools.registry;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The concurrency limit of one tool, without blocking any thread: a call that finds every permit
 * taken waits in this limit's queue, not on a pool thread, so a saturated slow tool never occupies
 * the threads other tools need. A waiter that gave up meanwhile (its deadline passed) is skipped
 * when its turn comes. Thread-safe.
 */
public final class ConcurrencyLimit {

  /** A call waiting for a permit. */
  public interface Waiter {

    /** False once the call no longer needs to run (answered at its deadline). */
    boolean wanted();

    /**
     * The call holds a permit now and must {@link #release()} it when done. Runs on the thread that
     * freed the permit (or the acquiring thread), so it must only hand the work off, never block.
     */
    void granted();
  }

  private final int limit;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private int inUse;

  public ConcurrencyLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("A concurrency limit must be 1 or more, got " + limit);
    }
    this.limit = limit;
  }

  /** Grants {@code waiter} a permit now if one is free, otherwise when one is released. */
  public void acquire(Waiter waiter) {
    synchronized (this) {
      if (inUse >= limit) {
        waiting.addLast(waiter);
        return;
      }
      inUse++;
    }
    waiter.granted();
  }

  /** Returns a permit, passing it to the next waiter that still wants it. */
  public void release() {
    Waiter next;
    synchronized (this) {
      do {
        next = waiting.pollFirst();
      } while (next != null && !next.wanted());
      if (next == null) {
        inUse--;
        return;
      }
    }
    next.granted();
  }

  public int limit() {
    return limit;
  }

  public synchronized int available() {
    return limit - inUse;
  }

  public synchronized int queued() {
    return waiting.size();
  }
}
