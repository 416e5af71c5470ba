package dev.voicebus.recorder.timeline;

/**
 * A stretch of the recording in samples from its start, {@code [from, to)}.
 *
 * @param from first sample
 * @param to one past the last sample
 */
public record Span(long from, long to) {

  public Span {
    if (to < from) {
      throw new IllegalArgumentException("span [" + from + ", " + to + ") ends before it starts");
    }
  }

  public long length() {
    return to - from;
  }

  public boolean overlaps(long start, long end) {
    return start < to && end > from;
  }
}
