package dev.voicebus.recorder.timeline;

import java.util.OptionalLong;

/**
 * Places the caller's frames on the recording's timeline, one frame at a time as they arrive, in
 * seq order. A frame follows the previous one without a gap unless its capture time is later than
 * the previous frame's end by more than the jitter tolerance; then it starts at its capture time
 * and the gap is silence (the caller's side sent nothing, e.g. frames lost before ingest). Network
 * jitter (frames captured a little late, or bunched) therefore neither clicks nor drifts. A frame
 * whose seq was already placed is a duplicate (a producer retry) and is dropped. Pure.
 */
public final class CallerPlacement {

  private final long jitterSamples;
  private long lastSeq = -1;
  private long end = -1;

  /**
   * @param jitterSamples how far a frame's capture time may lag the previous frame's end and still
   *     be read as continuous audio
   */
  public CallerPlacement(long jitterSamples) {
    this.jitterSamples = jitterSamples;
  }

  /**
   * Where the frame's first sample goes, or empty for a duplicate.
   *
   * @param seq the frame's seq
   * @param capturedAt the frame's capture time, in samples from the recording's start
   * @param samples the frame's length in samples
   */
  public OptionalLong place(long seq, long capturedAt, long samples) {
    if (seq <= lastSeq) {
      return OptionalLong.empty();
    }
    long start;
    if (end < 0) {
      start = Math.max(0, capturedAt);
    } else if (capturedAt > end + jitterSamples) {
      start = capturedAt;
    } else {
      start = end;
    }
    lastSeq = seq;
    end = start + samples;
    return OptionalLong.of(start);
  }

  /** The seq of the last frame placed, -1 before the first. */
  public long lastSeq() {
    return lastSeq;
  }

  /** One past the caller's last sample so far, 0 before the first frame. */
  public long end() {
    return Math.max(0, end);
  }
}
