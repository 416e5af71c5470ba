package dev.voicebus.launcher.load;

import java.time.Duration;

/**
 * One load run: how many concurrent calls, how long each streams, the ingest chunk size (for an
 * embedded target) and the time over which call starts are spread.
 */
public record LoadSettings(int calls, Duration duration, int chunkMs, Duration rampUp) {

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
    if (rampUp.isNegative()) {
      throw new IllegalArgumentException("ramp-up must not be negative, was " + rampUp);
    }
  }
}
