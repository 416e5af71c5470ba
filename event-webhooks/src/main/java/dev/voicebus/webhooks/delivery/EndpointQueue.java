package dev.voicebus.webhooks.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The undelivered events of one endpoint, one FIFO queue per call, as a pure state machine: only
 * the head of a call's queue is ever being sent or waiting to be retried, so event N+1 of a call
 * reaches the endpoint only after event N was delivered or dead-lettered; at most {@code
 * maxConcurrency} heads are sent at once, taken round-robin across calls, so one call whose event
 * keeps failing holds up neither the endpoint's other calls nor (having its own queue) any other
 * endpoint. A head waiting for its retry takes no sending slot. Each method returns the items to
 * send now. Not thread-safe: the dispatcher's thread owns it.
 */
public final class EndpointQueue<T> {

  private enum Head {
    READY,
    SENDING,
    WAITING
  }

  private final int maxConcurrency;
  private final Function<T, String> callOf;
  private final Map<String, ArrayDeque<T>> calls = new HashMap<>();
  private final Map<String, Head> heads = new HashMap<>();
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private int sending;
  private int size;

  public EndpointQueue(int maxConcurrency, Function<T, String> callOf) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be at least 1");
    }
    this.maxConcurrency = maxConcurrency;
    this.callOf = callOf;
  }

  /** Queues {@code item} behind its call's earlier items. */
  public List<T> offer(T item) {
    String call = callOf.apply(item);
    ArrayDeque<T> queue = calls.computeIfAbsent(call, c -> new ArrayDeque<>());
    queue.addLast(item);
    size++;
    if (queue.size() == 1) {
      makeReady(call);
    }
    return startable();
  }

  /** The head {@code item} was delivered or dead-lettered (or, sending, cancelled): it leaves. */
  public List<T> finished(T item) {
    String call = requireHead(item, Head.SENDING);
    calls.get(call).pollFirst();
    size--;
    sending--;
    advance(call);
    return startable();
  }

  /** The head {@code item} failed and waits for a retry: its slot goes to another call. */
  public List<T> backOff(T item) {
    String call = requireHead(item, Head.SENDING);
    heads.put(call, Head.WAITING);
    sending--;
    return startable();
  }

  /** The wait of the head {@code item} is over; nothing happens if it left meanwhile. */
  public List<T> retryDue(T item) {
    String call = callOf.apply(item);
    ArrayDeque<T> queue = calls.get(call);
    if (queue == null || queue.peekFirst() != item || heads.get(call) != Head.WAITING) {
      return List.of();
    }
    makeReady(call);
    return startable();
  }

  /**
   * Removes the items matching {@code filter} that are not being sent (queued, or waiting for a
   * retry) and returns them; items being sent stay until {@link #finished}. Follow with {@link
   * #startable()}.
   */
  public List<T> removeIf(Predicate<T> filter) {
    List<T> removed = new ArrayList<>();
    for (String call : new ArrayList<>(calls.keySet())) {
      ArrayDeque<T> queue = calls.get(call);
      T head = queue.peekFirst();
      boolean headSending = heads.get(call) == Head.SENDING;
      for (Iterator<T> it = queue.iterator(); it.hasNext(); ) {
        T item = it.next();
        if ((item != head || !headSending) && filter.test(item)) {
          it.remove();
          removed.add(item);
          size--;
        }
      }
      if (!queue.isEmpty() && queue.peekFirst() == head) {
        continue;
      }
      if (heads.get(call) == Head.READY) {
        ready.remove(call);
      }
      advance(call);
    }
    return removed;
  }

  /** The heads being sent that match {@code filter}. */
  public List<T> sending(Predicate<T> filter) {
    List<T> found = new ArrayList<>();
    heads.forEach(
        (call, head) -> {
          T item = calls.get(call).peekFirst();
          if (head == Head.SENDING && filter.test(item)) {
            found.add(item);
          }
        });
    return found;
  }

  /** The heads that may be sent now, each marked as being sent. */
  public List<T> startable() {
    List<T> start = new ArrayList<>();
    while (sending < maxConcurrency && !ready.isEmpty()) {
      String call = ready.pollFirst();
      heads.put(call, Head.SENDING);
      sending++;
      start.add(calls.get(call).peekFirst());
    }
    return start;
  }

  /** Items queued, being sent or waiting for a retry. */
  public int size() {
    return size;
  }

  public int sendingCount() {
    return sending;
  }

  /** Calls with items queued. */
  public int calls() {
    return calls.size();
  }

  private void makeReady(String call) {
    heads.put(call, Head.READY);
    ready.addLast(call);
  }

  private void advance(String call) {
    if (calls.get(call).isEmpty()) {
      calls.remove(call);
      heads.remove(call);
    } else {
      makeReady(call);
    }
  }

  private String requireHead(T item, Head expected) {
    String call = callOf.apply(item);
    ArrayDeque<T> queue = calls.get(call);
    if (queue == null || queue.peekFirst() != item || heads.get(call) != expected) {
      throw new IllegalStateException(item + " is not the " + expected + " head of call " + call);
    }
    return call;
  }
}
