package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.AmountWords;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitGroup;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.Months;
import dev.voicebus.redaction.text.NumberWords;
import dev.voicebus.redaction.text.RunBuilder;
import dev.voicebus.redaction.text.Token;
import dev.voicebus.redaction.text.TokenType;
import dev.voicebus.redaction.text.Tokens;
import java.util.List;

/**
 * Where streamed text must stop being released: the rules that tell whether the end of the text
 * could still become (part of) a sensitive value once the next delta arrives. The invariant they
 * keep is that the streamed output of an item equals the redaction of its whole text. Stateless
 * apart from the policy; thread-safe.
 */
final class HoldPoints {

  private final DetectorSet detectors;

  HoldPoints(DetectorSet detectors) {
    this.detectors = detectors;
  }

  /**
   * Where to hold an open run (see {@link #leadIn(Tokens, int, CueState)}), not before {@code
   * from}.
   */
  int openRun(Tokens t, DigitRun run, int holdGroup, CueState state, int from) {
    if (holdGroup >= run.size()) {
      return run.end();
    }
    return Math.max(from, leadIn(t, run, holdGroup, state));
  }

  /**
   * Whether more text could extend the last run: after its last group come only separators, words
   * that continue a number ("double", "and", "slash") or the unfinished start of one.
   */
  static boolean isOpen(Tokens t, DigitRun run) {
    int last = t.size() - 1;
    for (int i = run.lastToken() + 1; i <= last; i++) {
      Token tok = t.get(i);
      String lower = t.lower(i);
      if (RunBuilder.isSeparator(t, i)) {
        continue;
      }
      // "and" continues only "hundred"/"thousand" ("four hundred and twelve", not "nine and a
      // half")
      boolean afterMultiple = isMultiple(t.lower(t.previousNonSpace(i - 1)));
      if (NumberWords.isPending(lower) && (!"and".equals(lower) || afterMultiple)) {
        continue;
      }
      boolean unfinished = i == last && tok.type() == TokenType.WORD;
      if (unfinished
          && (NumberWords.isAnyPrefix(lower) && (!"and".startsWith(lower) || afterMultiple))) {
        continue;
      }
      // The word right after a run may decide a finding ("dollars" makes it an amount, a letter
      // ends a National Insurance number): wait while it may still become such a word.
      boolean firstAfter = t.previousNonSpace(i - 1) == run.lastToken();
      if (unfinished && firstAfter && (AmountWords.isPrefix(lower) || tok.length() == 1)) {
        continue;
      }
      return false;
    }
    return true;
  }

  /**
   * How many groups at the end of an open run may still change: a numeral that ends the text may
   * grow or become a word, a spoken phrase may grow by the next word ("seven" + "hundred"), and a
   * spoken tens word joins a unit that follows it ("twenty" + "o" may become "twenty-one").
   */
  static int unsureGroups(Tokens t, DigitRun run, int end) {
    DigitGroup last = run.group(run.size() - 1);
    if (last.numeral() && t.get(last.lastToken()).end() < end) {
      return 0;
    }
    if (last.numeral() || run.size() == 1) {
      return 1;
    }
    DigitGroup before = run.group(run.size() - 2);
    boolean tens = !before.numeral() && before.length() == 2 && before.digits().charAt(1) == '0';
    return tens ? 2 : 1;
  }

  private static boolean isMultiplier(String lower) {
    return "double".equals(lower) || "triple".equals(lower);
  }

  private static boolean isMultiple(String lower) {
    return "hundred".equals(lower) || "thousand".equals(lower);
  }

  /**
   * Where to hold an open run: at its held group, or before the words that would belong to the same
   * finding (a month name before a year, the letters of a National Insurance number).
   */
  private int leadIn(Tokens t, DigitRun run, int holdGroup, CueState state) {
    if (holdGroup != 0 || run.continuation()) {
      return run.group(holdGroup).start();
    }
    return leadIn(t, run.firstToken(), state);
  }

  /** The start of token {@code i}, or of a month name or prefix letters right before it. */
  private int leadIn(Tokens t, int i, CueState state) {
    int hold = t.get(i).start();
    int before = t.previousNonSpace(i - 1);
    if (before >= 0 && t.isPunct(before, ',')) {
      before = t.previousNonSpace(before - 1);
    }
    if (before < 0) {
      return hold;
    }
    if (detectors.on(DetectorKind.EXPIRY)
        && state.cardContext()
        && Months.isMonth(t.lower(before))) {
      return t.get(before).start();
    }
    if (detectors.on(DetectorKind.UK_NINO)) {
      int letters = NinoDetector.prefixStart(t, i - 1, state.armed(CueKind.NINO));
      if (letters >= 0) {
        return Math.min(hold, letters);
      }
    }
    if (detectors.on(DetectorKind.PHONE) && t.isPunct(before, '+')) {
      return t.get(before).start();
    }
    return hold;
  }

  /**
   * Words at the end that may begin a sensitive value although no digit has come yet: the
   * unfinished start of a number word, "double"/"triple" waiting for their digit, a month name in
   * card context, capitals that may begin a National Insurance number.
   */
  int trailing(Tokens t, int first, CueState state, int from, int end) {
    int hold = end;
    int last = t.size() - 1;
    boolean months = detectors.on(DetectorKind.EXPIRY) && state.cardContext();
    boolean nino = detectors.on(DetectorKind.UK_NINO);
    int letters = 0;
    for (int i = last; i >= first; i--) {
      Token tok = t.get(i);
      if (tok.type() == TokenType.SPACE
          || (tok.type() == TokenType.PUNCT && RunBuilder.isSeparator(t, i))) {
        continue;
      }
      if (tok.type() != TokenType.WORD) {
        if (i == t.previousNonSpace(last)
            && detectors.on(DetectorKind.PHONE)
            && t.isPunct(i, '+')) {
          hold = tok.start();
        }
        break;
      }
      String lower = t.lower(i);
      boolean unfinished = i == last;
      if ((unfinished && NumberWords.isStarterPrefix(lower)) || isMultiplier(lower)) {
        int start = i;
        int before = t.previousNonSpace(i - 1);
        if (before >= first && t.isPunct(before, '-')) {
          before = t.previousNonSpace(before - 1);
        }
        // "double f...", "triple -f..." are one phrase: hold it from "double"
        if (before >= first && isMultiplier(t.lower(before))) {
          start = before;
        }
        hold = leadIn(t, start, state);
        break;
      }
      if (nino
          && letters < 2
          && tok.length() <= 2
          && NinoDetector.couldBePrefix(t.text(i), state.armed(CueKind.NINO))) {
        hold = tok.start();
        letters += tok.length();
        continue;
      }
      if (months && (Months.isMonth(lower) || (unfinished && Months.isPrefix(lower)))) {
        hold = tok.start();
        break;
      }
      break;
    }
    return Math.max(from, hold);
  }

  /**
   * Moves the hold point back until nothing decided depends on what is held: before any finding
   * that reaches past it, and to the start of any run it would cut (the rest of a cut run would be
   * judged alone next time). The open run's own hold point is placed on purpose and kept.
   */
  static int settle(List<Finding> merged, List<DigitRun> runs, int hold, int openHold, int end) {
    int h = hold;
    int before;
    do {
      before = h;
      h = pullBack(merged, h, end);
      if (h != openHold) {
        for (DigitRun run : runs) {
          if (run.start() < h && h < run.end()) {
            h = run.start();
          }
        }
      }
    } while (h != before);
    return h;
  }

  /**
   * Moves the hold point before any finding that reaches past it or touches the end of the text,
   * which more text could still change.
   */
  private static int pullBack(List<Finding> merged, int hold, int end) {
    int h = hold;
    for (int i = merged.size() - 1; i >= 0; i--) {
      Finding f = merged.get(i);
      if (f.end() > h || f.end() == end) {
        h = Math.min(h, f.start());
      }
    }
    return h;
  }
}
