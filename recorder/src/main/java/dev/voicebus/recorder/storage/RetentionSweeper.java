package dev.voicebus.recorder.storage;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recordings older than {@code recorder.retention} from the store, WAV and sidecar alike.
 * Run every {@code recorder.retention.sweep-interval} on a timer; in a group of recorders only the
 * one holding partition 0 of call.control sweeps, so the store is not listed by every instance.
 */
public final class RetentionSweeper implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  private final RecordingStore store;
  private final Duration retention;
  private final Clock clock;
  private final BooleanSupplier turn;
  private final Counter deletedCounter;

  /** Counts what a sweep deleted. */
  @FunctionalInterface
  public interface Counter {
    void deleted(int files);
  }

  /**
   * @param store where recordings are
   * @param retention how long a recording is kept
   * @param clock now
   * @param turn whether this instance sweeps now
   * @param deletedCounter told how many files each sweep deleted
   */
  public RetentionSweeper(
      RecordingStore store,
      Duration retention,
      Clock clock,
      BooleanSupplier turn,
      Counter deletedCounter) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.turn = turn;
    this.deletedCounter = deletedCounter;
  }

  /** One sweep; returns how many files it deleted (0 when it is not this instance's turn). */
  public int sweep() throws IOException {
    if (!turn.getAsBoolean()) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(retention);
    int deleted = store.deleteOlderThan(cutoff);
    deletedCounter.deleted(deleted);
    if (deleted > 0) {
      log.info(
          "Retention: deleted {} recording files older than {} from {}",
          deleted,
          cutoff,
          store.describe());
    }
    return deleted;
  }

  @Override
  public void run() {
    try {
      sweep();
    } catch (IOException | RuntimeException e) {
      log.warn("Retention sweep of {} failed; retrying at the next sweep", store.describe(), e);
    }
  }
}
