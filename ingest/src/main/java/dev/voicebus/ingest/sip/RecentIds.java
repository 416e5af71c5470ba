package dev.voicebus.ingest.sip;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of ids seen lately (webhook ids, OpenAI call ids): the oldest are forgotten
 * beyond the capacity, so a node never grows with traffic. A retry that comes after its id was
 * forgotten is still harmless: the call id it yields is the same (see {@link SipCallIds}).
 * Thread-safe.
 */
final class RecentIds {
  private final Map<String, Boolean> seen;

  RecentIds(int capacity) {
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time {@code id} is offered (and remembers it), false after. */
  synchronized boolean first(String id) {
    return seen.putIfAbsent(id, Boolean.TRUE) == null;
  }

  /** Forgets {@code id}, so its next offer is a first again (its handling failed). */
  synchronized void forget(String id) {
    seen.remove(id);
  }

  synchronized int size() {
    return seen.size();
  }
}
