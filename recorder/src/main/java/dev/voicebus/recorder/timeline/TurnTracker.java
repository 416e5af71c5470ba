package dev.voicebus.recorder.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds when the caller spoke, for the sidecar's turns: the caller's channel is continuous audio
 * (silence included), so speech is told apart by energy. Blocks whose RMS level is at or above the
 * threshold are speech; speech blocks less than the merge gap apart form one turn, and turns
 * shorter than the minimum (a click, a cough) are dropped. Fed blocks in time order. Pure.
 */
public final class TurnTracker {

  private final double threshold;
  private final long mergeGap;
  private final long minLength;
  private final List<Span> turns = new ArrayList<>();
  private long openFrom = -1;
  private long openTo = -1;

  /**
   * @param threshold RMS level of 16-bit samples at which a block counts as speech
   * @param mergeGap samples of quiet that still keep one turn going
   * @param minLength the shortest turn kept, in samples
   */
  public TurnTracker(double threshold, long mergeGap, long minLength) {
    this.threshold = threshold;
    this.mergeGap = mergeGap;
    this.minLength = minLength;
  }

  /** A block of {@code samples} samples starting at {@code at} with RMS level {@code rms}. */
  public void block(long at, long samples, double rms) {
    if (rms < threshold) {
      return;
    }
    if (openFrom >= 0 && at - openTo <= mergeGap) {
      openTo = at + samples;
      return;
    }
    close();
    openFrom = at;
    openTo = at + samples;
  }

  private void close() {
    if (openFrom >= 0 && openTo - openFrom >= minLength) {
      turns.add(new Span(openFrom, openTo));
    }
    openFrom = -1;
  }

  /** The turns found, in order; call once, after the last block. */
  public List<Span> finish() {
    close();
    return List.copyOf(turns);
  }

  /** RMS of {@code count} 16-bit little-endian samples of {@code pcm} from byte {@code offset}. */
  public static double rms(byte[] pcm, int offset, int count) {
    if (count == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      int at = offset + 2 * i;
      short sample = (short) ((pcm[at] & 0xFF) | (pcm[at + 1] << 8));
      sum += (double) sample * sample;
    }
    return Math.sqrt(sum / count);
  }
}
