package dev.voicebus.recorder.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where recordings are kept: a local directory ({@link LocalDirectoryStore}) or S3-compatible
 * object storage ({@link S3Store}). Storing the same key again replaces it, so a recording redone
 * after a restart overwrites its first copy. Implementations are thread-safe.
 */
public interface RecordingStore extends AutoCloseable {

  /**
   * Stores the WAV and its sidecar under {@code key}; returns the WAV's location ({@code file://}
   * or {@code s3://bucket/key}). The local files are left in place for the caller to delete.
   *
   * @throws IOException when the store refused or could not be reached (the caller retries)
   */
  URI store(RecordingKey key, Path wav, Path sidecar) throws IOException;

  /** Whether a recording (its WAV) is stored under {@code key}. */
  boolean exists(RecordingKey key) throws IOException;

  /**
   * Deletes every recording file (WAV and sidecar) last written before {@code cutoff}; returns how
   * many files were deleted.
   */
  int deleteOlderThan(Instant cutoff) throws IOException;

  /** Where this store writes, for logs (never a credential). */
  String describe();

  @Override
  default void close() {}
}
