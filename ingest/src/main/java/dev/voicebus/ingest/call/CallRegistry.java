package dev.voicebus.ingest.call;

import dev.voicebus.ingest.kafka.KafkaHealth;
import dev.voicebus.schemas.auth.TenantGrant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's live calls by call id, and its admission control: a new call is refused while the node
 * drains, while Kafka is unhealthy, when {@code ingest.max-concurrent-calls} is reached, or when
 * its tenant already has as many live calls on this node as its credential allows.
 */
public final class CallRegistry {

  /** Why a call was not admitted: the node (try another node later) or its tenant's cap. */
  public record Refusal(Kind kind, String reason) {

    /** Who refused. */
    public enum Kind {
      NODE,
      TENANT_LIMIT
    }
  }

  private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> byTenant = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final int maxCalls;
  private final KafkaHealth health;
  private volatile boolean draining;

  public CallRegistry(int maxCalls, KafkaHealth health) {
    this.maxCalls = maxCalls;
    this.health = health;
  }

  /**
   * Reserves a slot for a new call of {@code grant}'s tenant, or returns why it is refused. A
   * reservation is released when its call ends, or with {@link #unreserve} if it never starts.
   */
  public Optional<Refusal> tryReserve(TenantGrant grant) {
    if (draining) {
      return Optional.of(new Refusal(Refusal.Kind.NODE, "node is draining, try another node"));
    }
    Optional<String> kafka = health.problem();
    if (kafka.isPresent()) {
      return Optional.of(new Refusal(Refusal.Kind.NODE, kafka.get()));
    }
    Optional<Refusal> tenantRefusal = tryReserveTenant(grant);
    if (tenantRefusal.isPresent()) {
      return tenantRefusal;
    }
    if (reserved.incrementAndGet() > maxCalls) {
      reserved.decrementAndGet();
      unreserveTenant(grant.tenant());
      return Optional.of(
          new Refusal(Refusal.Kind.NODE, "max concurrent calls (" + maxCalls + ") reached"));
    }
    return Optional.empty();
  }

  /**
   * Counts a call that does not run through this node (a SIP call: its audio flows between the
   * carrier and OpenAI) against its tenant's cap, but not against the node's: returns why it is
   * refused, or empty once counted. Release with {@link #unreserveTenant}.
   */
  public Optional<Refusal> tryReserveTenant(TenantGrant grant) {
    AtomicInteger tenantCalls = byTenant.computeIfAbsent(grant.tenant(), t -> new AtomicInteger());
    int tenantCap = grant.maxConcurrentCalls().orElse(Integer.MAX_VALUE);
    if (tenantCalls.incrementAndGet() > tenantCap) {
      tenantCalls.decrementAndGet();
      return Optional.of(
          new Refusal(
              Refusal.Kind.TENANT_LIMIT,
              "tenant "
                  + grant.tenant()
                  + " has its maximum of "
                  + tenantCap
                  + " concurrent calls"));
    }
    return Optional.empty();
  }

  /** Releases a call counted with {@link #tryReserveTenant}. */
  public void unreserveTenant(String tenant) {
    AtomicInteger count = byTenant.get(tenant);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  /** Why the node refuses new calls right now (draining, Kafka); empty when it takes them. */
  public Optional<String> admissionProblem() {
    if (draining) {
      return Optional.of("node is draining, try another node");
    }
    return health.problem();
  }

  void register(CallSession session) {
    calls.put(session.callId(), session);
  }

  void release(CallSession session) {
    if (calls.remove(session.callId()) != null) {
      unreserve(session.tenant());
    }
  }

  /** Releases a reservation of {@code tenant} whose call never started. */
  public void unreserve(String tenant) {
    reserved.decrementAndGet();
    byTenant.get(tenant).decrementAndGet();
  }

  public Optional<CallSession> find(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  public Collection<CallSession> live() {
    return calls.values();
  }

  public int active() {
    return calls.size();
  }

  /** Live (and reserved) calls of {@code tenant} on this node. */
  public int activeOf(String tenant) {
    AtomicInteger count = byTenant.get(tenant);
    return count == null ? 0 : count.get();
  }

  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
