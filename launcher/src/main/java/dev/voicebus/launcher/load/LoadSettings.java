package dev.voicebus.launcher.load;

import java.time.Duration;

/**
 * One load run: how many concurrent calls, how long each streams while measured, the ingest chunk
 * size (for an embedded target), the time over which call starts are spread, and how long all calls
 * stream after the ramp-up before measuring starts (JIT warm-up, sessions settling).
 */
public record LoadSettings(
    int calls, Duration duration, int chunkMs, Duration rampUp, Duration warmUp) {

  /** Settings without a warm-up: measured from the first call. */
  public LoadSettings(int calls, Duration duration, int chunkMs, Duration rampUp) {
    this(calls, duration, chunkMs, rampUp, Duration.ZERO);
  }

  public LoadSettings {
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be at least 1, was " + calls);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    if (chunkMs < 20 || chunkMs % 20 != 0) {
      throw new IllegalArgumentException("chunk-ms must be a multiple of 20, was " + chunkMs);
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("warm-up must not be negative, was " + warmUp);
    }
    if (rampUp.isNegative()) {
      throw new IllegalArgumentException("ramp-up must not be negative, was " + rampUp);
    }
  }
}
