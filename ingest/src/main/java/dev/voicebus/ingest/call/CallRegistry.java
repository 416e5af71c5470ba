package dev.voicebus.ingest.call;

import dev.voicebus.ingest.kafka.KafkaHealth;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's live calls by call id, and its admission control: a new call is refused while the node
 * drains, while Kafka is unhealthy, or when {@code ingest.max-concurrent-calls} is reached.
 */
public final class CallRegistry {

  private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final int maxCalls;
  private final KafkaHealth health;
  private volatile boolean draining;

  public CallRegistry(int maxCalls, KafkaHealth health) {
    this.maxCalls = maxCalls;
    this.health = health;
  }

  /** Reserves a slot for a new call, or returns why the node refuses it. */
  public Optional<String> tryReserve() {
    if (draining) {
      return Optional.of("node is draining, try another node");
    }
    Optional<String> kafka = health.problem();
    if (kafka.isPresent()) {
      return kafka;
    }
    if (reserved.incrementAndGet() > maxCalls) {
      reserved.decrementAndGet();
      return Optional.of("max concurrent calls (" + maxCalls + ") reached");
    }
    return Optional.empty();
  }

  void register(CallSession session) {
    calls.put(session.callId(), session);
  }

  void release(CallSession session) {
    if (calls.remove(session.callId()) != null) {
      reserved.decrementAndGet();
    }
  }

  /** Releases a reservation whose call never started. */
  public void unreserve() {
    reserved.decrementAndGet();
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

  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
