package dev.voicebus.redaction.text;

import java.util.List;

/**
 * Consecutive digit groups joined only by spaces and separators ({@code - , . / ( )}, "slash",
 * "dash"): "4111 1111 1111 1111", "four one one one ...", "12/27". Everything a detector of numbers
 * sees is a run or a part of one ({@link #slice}), so written and spoken forms are treated alike
 * and the span of any digit is known.
 */
public final class DigitRun {

  private final List<DigitGroup> groups;
  private final String digits;
  private final int[] offsets;
  private final boolean continuation;

  public DigitRun(List<DigitGroup> groups, boolean continuation) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("a run has at least one group");
    }
    this.groups = List.copyOf(groups);
    this.continuation = continuation;
    this.offsets = new int[groups.size() + 1];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < groups.size(); i++) {
      offsets[i] = sb.length();
      sb.append(groups.get(i).digits());
    }
    offsets[groups.size()] = sb.length();
    this.digits = sb.toString();
  }

  public List<DigitGroup> groups() {
    return groups;
  }

  public DigitGroup group(int i) {
    return groups.get(i);
  }

  public int size() {
    return groups.size();
  }

  /** All digits of the run, in order. */
  public String digits() {
    return digits;
  }

  public int digitCount() {
    return digits.length();
  }

  /** Offset in {@link #digits()} where group {@code i} starts ({@code i == size()}: the end). */
  public int digitOffset(int i) {
    return offsets[i];
  }

  /**
   * Whether this run continues one whose beginning was released earlier, so detectors that judge a
   * whole run (a 3-digit code, a 9-digit identifier) must not judge it.
   */
  public boolean continuation() {
    return continuation;
  }

  public int start() {
    return groups.get(0).start();
  }

  public int end() {
    return groups.get(groups.size() - 1).end();
  }

  public int firstToken() {
    return groups.get(0).firstToken();
  }

  public int lastToken() {
    return groups.get(groups.size() - 1).lastToken();
  }

  /** Groups {@code from} (inclusive) to {@code to} (exclusive) as a run of their own. */
  public DigitRun slice(int from, int to, boolean continuation) {
    List<DigitGroup> part = groups.subList(from, to);
    if (from > 0) {
      DigitGroup first = part.get(0);
      part = new java.util.ArrayList<>(part);
      part.set(
          0,
          new DigitGroup(
              first.digits(),
              first.start(),
              first.end(),
              first.firstToken(),
              first.lastToken(),
              first.numeral(),
              ""));
    }
    return new DigitRun(part, continuation);
  }

  /** Whether any two groups are joined by a slash ("12/27", "twelve slash twenty-seven"). */
  public boolean hasSlash() {
    for (int i = 1; i < groups.size(); i++) {
      String sep = groups.get(i).separator();
      if (sep.indexOf('/') >= 0 || sep.toLowerCase(java.util.Locale.ROOT).contains("slash")) {
        return true;
      }
    }
    return false;
  }

  /** Whether two numerals are joined by a bare decimal point ("45.20", "1,234.56"). */
  public boolean hasDecimalPoint() {
    for (int i = 1; i < groups.size(); i++) {
      if (groups.get(i).separator().equals(".")
          && groups.get(i).numeral()
          && groups.get(i - 1).numeral()) {
        return true;
      }
    }
    return false;
  }

  /** Whether every group was written in digits. */
  public boolean allNumerals() {
    for (DigitGroup g : groups) {
      if (!g.numeral()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the run is written as numerals of exactly {@code lengths} digits joined by one and the
   * same single separator among {@code separators} ("123-45-6789": 3, 2, 4 and "-").
   */
  public boolean isShaped(String separators, int... lengths) {
    if (groups.size() != lengths.length || !allNumerals()) {
      return false;
    }
    String sep = null;
    for (int i = 0; i < lengths.length; i++) {
      DigitGroup g = groups.get(i);
      if (g.length() != lengths[i]) {
        return false;
      }
      if (i > 0) {
        String s = g.separator();
        if (s.length() != 1
            || separators.indexOf(s.charAt(0)) < 0
            || (sep != null && !sep.equals(s))) {
          return false;
        }
        sep = s;
      }
    }
    return true;
  }
}
