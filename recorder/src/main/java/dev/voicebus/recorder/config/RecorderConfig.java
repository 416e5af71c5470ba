package dev.voicebus.recorder.config;

import dev.voicebus.recorder.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The recorder's settings, validated when read ({@link RecorderConfigReader}): consumer group and
 * instance, admin port, which calls are recorded, where recordings go and for how long, the local
 * working directory, and the limits that bound each call.
 */
public record RecorderConfig(
    String groupId,
    String instanceId,
    String adminHost,
    int adminPort,
    RecordingPolicy policy,
    Storage storage,
    Optional<Duration> retention,
    Duration sweepInterval,
    Path workDir,
    Limits limits,
    int threads,
    Duration uploadInitialBackoff,
    Duration uploadMaxBackoff,
    StartAt startAt) {

  /** Where recordings are stored. */
  public sealed interface Storage {
    /** {@code recorder.storage=local}: a directory. */
    record Local(Path dir) implements Storage {}

    /** {@code recorder.storage=s3}: an S3-compatible bucket. */
    record S3(S3Settings settings) implements Storage {}
  }

  /**
   * What bounds one call: the longest recording, how long a call may be silent on every topic
   * before it is finalised without its end, and how much caller audio waits in memory during an
   * open pause for a resume that is read late.
   */
  public record Limits(Duration maxCallDuration, Duration idleTimeout, Duration pauseHold) {}

  /** Where a consumer group without committed offsets starts reading. */
  public enum StartAt {
    LATEST,
    EARLIEST
  }

  public RecorderConfig {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(policy, "policy");
  }
}
