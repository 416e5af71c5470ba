package dev.voicebus.recorder.timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pause and resume instructions of one call (from {@code PAUSE_RECORDING} and {@code
 * RESUME_RECORDING} actions on OK tool results, at each result's {@code completedAt}) and the
 * paused spans they make: a pause opens a span unless one is open, a resume closes the open one,
 * and a span still open at the end runs to the end. Instructions are ordered by time whatever order
 * they arrive in, so a resume read before its pause still works out. Pure.
 */
public final class PauseLog {

  private record Instruction(long at, boolean pause) {}

  private final List<Instruction> instructions = new ArrayList<>();

  /** The recording pauses at {@code at} (samples from the start). */
  public void pause(long at) {
    instructions.add(new Instruction(at, true));
  }

  /** The recording resumes at {@code at} (samples from the start). */
  public void resume(long at) {
    instructions.add(new Instruction(at, false));
  }

  /** The paused spans of a recording {@code length} samples long, in order, merged. */
  public List<Span> spans(long length) {
    List<Instruction> ordered = new ArrayList<>(instructions);
    ordered.sort(Comparator.comparingLong(Instruction::at));
    List<Span> spans = new ArrayList<>();
    long openedAt = -1;
    for (Instruction instruction : ordered) {
      long at = Math.max(0, Math.min(instruction.at(), length));
      if (instruction.pause() && openedAt < 0) {
        openedAt = at;
      } else if (!instruction.pause() && openedAt >= 0) {
        if (at > openedAt) {
          spans.add(new Span(openedAt, at));
        }
        openedAt = -1;
      }
    }
    if (openedAt >= 0 && length > openedAt) {
      spans.add(new Span(openedAt, length));
    }
    return spans;
  }

  /** Whether the sample at {@code at} is paused by what is known so far (open spans included). */
  public boolean isPaused(long at) {
    return spans(Long.MAX_VALUE).stream().anyMatch(s -> s.overlaps(at, at + 1));
  }

  /** The earliest start of a pause that is open (no resume after it) so far, or -1. */
  public long openSince() {
    List<Span> spans = spans(Long.MAX_VALUE);
    if (spans.isEmpty()) {
      return -1;
    }
    Span last = spans.get(spans.size() - 1);
    return last.to() == Long.MAX_VALUE ? last.from() : -1;
  }

  /** Total paused samples of a recording {@code length} samples long. */
  public long pausedSamples(long length) {
    return spans(length).stream().mapToLong(Span::length).sum();
  }

  public boolean isEmpty() {
    return instructions.isEmpty();
  }
}
