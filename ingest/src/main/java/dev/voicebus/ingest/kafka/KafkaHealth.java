package dev.voicebus.ingest.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the node can publish and play back: unhealthy while sends are stuck (in flight with no
 * ack for longer than the stall timeout), after a failed send until the next success, while the
 * periodic cluster probe fails, or while the reply path ({@link #watchReplyPath}: the playback
 * consumer of the node's audio.out partition) is down. Thread-safe; read by admission control and
 * {@code /readyz}.
 */
public final class KafkaHealth {

  private final long stallNanos;
  private final AtomicLong pending = new AtomicLong();
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile String failure;
  private volatile String probeFailure;
  private volatile Supplier<Optional<String>> replyPath = Optional::empty;

  public KafkaHealth(Duration stallTimeout) {
    this.stallNanos = stallTimeout.toNanos();
  }

  void onSend() {
    if (pending.getAndIncrement() == 0) {
      lastProgressNanos = System.nanoTime();
    }
  }

  void onAck() {
    lastProgressNanos = System.nanoTime();
    pending.decrementAndGet();
    failure = null;
  }

  void onFailure(Exception e) {
    lastProgressNanos = System.nanoTime();
    pending.decrementAndGet();
    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Probes the cluster without blocking; the result lands asynchronously. */
  public void probe(Admin admin, Duration timeout) {
    admin
        .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
        .nodes()
        .whenComplete(
            (nodes, error) -> {
              if (error != null || nodes.isEmpty()) {
                probeFailure = error == null ? "no brokers" : error.getMessage();
              } else {
                probeFailure = null;
                if (pending.get() == 0) {
                  failure = null;
                }
              }
            });
  }

  /**
   * Also unhealthy while {@code problem} says why the node cannot read its reply partition, so a
   * call whose agent audio could not reach it is not admitted.
   */
  public void watchReplyPath(Supplier<Optional<String>> problem) {
    this.replyPath = problem;
  }

  /** Why the node cannot publish or play back right now, or empty when it can. */
  public Optional<String> problem() {
    Optional<String> playback = replyPath.get();
    if (playback.isPresent()) {
      return playback;
    }
    if (probeFailure != null) {
      return Optional.of("Kafka unreachable: " + probeFailure);
    }
    long stalled = System.nanoTime() - lastProgressNanos;
    if (pending.get() > 0 && stalled > stallNanos) {
      return Optional.of(
          "Kafka sends stalled for " + TimeUnit.NANOSECONDS.toMillis(stalled) + " ms");
    }
    return Optional.ofNullable(failure).map(f -> "Kafka send failed: " + f);
  }

  public long pendingSends() {
    return pending.get();
  }
}
