package dev.voicebus.recorder.loop;

import dev.voicebus.observability.metrics.LatencyTimers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's own meters: calls being recorded, recordings by outcome, store latency and
 * failures, bytes stored, uploads waiting, retention deletions, dead letters.
 */
public final class RecorderMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger activeCalls = new AtomicInteger();
  private final AtomicInteger pendingUploads = new AtomicInteger();
  private final Timer storeLatency;
  private final Counter storeFailures;
  private final Counter bytesStored;
  private final Counter retentionDeleted;
  private final Counter deadLetters;

  public RecorderMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("voicebus.recorder.calls.active", activeCalls);
    registry.gauge("voicebus.recorder.uploads.pending", pendingUploads);
    this.storeLatency =
        LatencyTimers.builder("voicebus.recorder.store.latency")
            .description("Time to store one recording (WAV and sidecar), retries included")
            .register(registry);
    this.storeFailures = registry.counter("voicebus.recorder.store.failures");
    this.bytesStored = registry.counter("voicebus.recorder.stored.bytes");
    this.retentionDeleted = registry.counter("voicebus.recorder.retention.deleted");
    this.deadLetters = registry.counter("voicebus.recorder.dead.letters");
  }

  /**
   * A recording ended: {@code stored}, {@code carrier} (SIP), {@code skipped} or {@code dropped}.
   */
  public void recording(String outcome) {
    registry.counter("voicebus.recorder.recordings", "outcome", outcome).increment();
  }

  public AtomicInteger activeCalls() {
    return activeCalls;
  }

  public AtomicInteger pendingUploads() {
    return pendingUploads;
  }

  public void stored(Duration took, long bytes) {
    storeLatency.record(took);
    bytesStored.increment(bytes);
  }

  public void storeFailed() {
    storeFailures.increment();
  }

  public void retentionDeleted(int files) {
    retentionDeleted.increment(files);
  }

  public void deadLettered() {
    deadLetters.increment();
  }
}
