package dev.voicebus.ingest.sip;

import dev.voicebus.ingest.call.CallRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SIP calls this node admitted and counts against their tenants' caps until they end. Their
 * audio never passes through ingest, so the end is learnt from the {@code CallEnded} the worker
 * publishes ({@link SipCallEnds}); a call whose end never shows is released after its lease (the
 * longest a call may last), so a lost record cannot hold a tenant's slot forever. Thread-safe.
 */
public final class SipCallLedger {

  private record Entry(String tenant, long expiresAtNanos) {}

  private final CallRegistry registry;
  private final Duration lease;
  private final Map<String, Entry> calls = new ConcurrentHashMap<>();

  public SipCallLedger(CallRegistry registry, Duration lease) {
    this.registry = registry;
    this.lease = lease;
  }

  /** Records an admitted call whose tenant slot is reserved already. */
  void admitted(String callId, String tenant) {
    Entry previous = calls.put(callId, new Entry(tenant, System.nanoTime() + lease.toNanos()));
    if (previous != null) {
      registry.unreserveTenant(previous.tenant());
    }
  }

  /** The call ended (or was never published): frees its tenant slot. */
  public void release(String callId) {
    Entry entry = calls.remove(callId);
    if (entry != null) {
      registry.unreserveTenant(entry.tenant());
    }
  }

  public boolean holds(String callId) {
    return calls.containsKey(callId);
  }

  /** Releases calls whose lease ran out; returns how many. */
  public int expire() {
    long now = System.nanoTime();
    int expired = 0;
    for (var e : calls.entrySet()) {
      if (now - e.getValue().expiresAtNanos() > 0 && calls.remove(e.getKey(), e.getValue())) {
        registry.unreserveTenant(e.getValue().tenant());
        expired++;
      }
    }
    return expired;
  }

  public int size() {
    return calls.size();
  }
}
