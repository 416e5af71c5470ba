package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.AmountWords;
import dev.voicebus.redaction.text.Cue;
import dev.voicebus.redaction.text.CueFinder;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitGroup;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.Months;
import dev.voicebus.redaction.text.NumberWords;
import dev.voicebus.redaction.text.RunBuilder;
import dev.voicebus.redaction.text.Token;
import dev.voicebus.redaction.text.TokenType;
import dev.voicebus.redaction.text.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs every detector of a {@link DetectorSet} over a window of text in one pass: tokens, cues,
 * digit runs (written and spoken), cards first, then the detectors that judge a run, then the
 * pattern detectors. For streamed text it also decides how far the text can be released: up to the
 * first character that could still belong to a sensitive value once more text arrives. Stateless
 * and thread-safe; the cost is linear in the window.
 */
public final class Scanner {

  private final DetectorSet detectors;

  public Scanner(DetectorSet detectors) {
    this.detectors = detectors;
  }

  public DetectorSet detectors() {
    return detectors;
  }

  /**
   * Scans {@code text} from {@code from} to {@code end}, reading cues from {@code lookFrom} on.
   *
   * @param streaming whether more text may follow (then the result may hold some back)
   * @param carry whether the text at {@code from} continues a run already partly released
   * @param cueHorizon the end of the last cue already absorbed into {@code start} (-1 if none);
   *     cues in the look-behind that end there or earlier are not absorbed again
   * @param start the cues in force at {@code from}
   */
  public ScanResult scan(
      CharSequence text,
      int lookFrom,
      int from,
      int end,
      boolean streaming,
      boolean carry,
      int cueHorizon,
      CueState start) {
    Tokens t = Tokens.of(text, lookFrom, end);
    int first = t.firstAtOrAfter(from);
    List<Cue> cues = CueFinder.find(t, 0);
    cues.removeIf(c -> c.end() <= cueHorizon);
    List<DigitRun> runs = RunBuilder.build(t, first);
    if (carry && !runs.isEmpty() && runs.get(0).firstToken() == first) {
      runs.set(0, new DigitRun(runs.get(0).groups(), true));
    }
    CueState state = start.copy();
    RunContext context = new RunContext(t, state, detectors);
    List<Finding> found = new ArrayList<>();
    int cue = 0;
    int hold = end;
    int openHold = -1;
    boolean openCarry = false;
    for (int r = 0; r < runs.size(); r++) {
      DigitRun run = runs.get(r);
      boolean open = streaming && r == runs.size() - 1 && isOpen(t, run);
      int unsure = open ? unsureGroups(t, run, end) : 0;
      CardNumberDetector.Split split = detectors.card().split(run, open, run.size() - unsure);
      List<Piece> pieces = pieces(split);
      for (Piece piece : pieces) {
        cue = absorb(cues, cue, piece.start(), state);
        if (piece.card() != null) {
          found.add(piece.card());
          state.absorb(CueKind.CARD);
        } else if (!piece.run().continuation()) {
          int before = found.size();
          for (RunDetector detector : detectors.runDetectors()) {
            if (detector.detect(piece.run(), context, found)) {
              break;
            }
          }
          if (answersQuestion(found, before)) {
            state.answered();
          }
        }
      }
      if (open) {
        int group = split.holdGroup();
        cue = absorb(cues, cue, group < run.size() ? run.group(group).start() : run.end(), state);
        openHold = group < run.size() ? Math.max(from, leadIn(t, run, group, state)) : run.end();
        openCarry = split.carry();
        hold = openHold;
      }
    }
    absorb(cues, cue, end, state);
    for (RegexDetector detector : detectors.textDetectors()) {
      detector.find(text, from, end, found);
      if (streaming) {
        hold = Math.min(hold, detector.holdFrom(text, from, end));
      }
    }
    if (streaming && openHold < 0) {
      hold = Math.min(hold, trailingHold(t, first, state, from, end));
    }
    List<Finding> merged = merge(found, from);
    if (streaming) {
      hold = settle(merged, runs, hold, openHold, end);
    }
    List<Finding> decided = new ArrayList<>(merged.size());
    for (Finding f : merged) {
      if (f.end() <= hold) {
        decided.add(f);
      }
    }
    int horizon = cueHorizon;
    for (Cue c : cues) {
      if (c.end() <= hold) {
        horizon = Math.max(horizon, c.end());
      }
    }
    // Nothing released: the held text still continues what it continued.
    boolean carryOut = (openCarry && hold == openHold) || (carry && hold == from);
    return new ScanResult(decided, hold, carryOut, horizon, stateAt(start, cues, decided, hold));
  }

  /** Scans a whole text (nothing more will follow) with the cues in force before it. */
  public ScanResult scanWhole(CharSequence text, CueState start) {
    return scan(text, 0, 0, text.length(), false, false, -1, start);
  }

  /** A card, or a piece of a run between cards, in text order. */
  private record Piece(int start, Finding card, DigitRun run) {}

  private static List<Piece> pieces(CardNumberDetector.Split split) {
    List<Piece> pieces = new ArrayList<>(split.cards().size() + split.rest().size());
    for (Finding card : split.cards()) {
      pieces.add(new Piece(card.start(), card, null));
    }
    for (DigitRun rest : split.rest()) {
      pieces.add(new Piece(rest.start(), null, rest));
    }
    pieces.sort(Comparator.comparingInt(Piece::start));
    return pieces;
  }

  private static int absorb(List<Cue> cues, int next, int upTo, CueState state) {
    int i = next;
    while (i < cues.size() && cues.get(i).end() <= upTo) {
      state.absorb(cues.get(i).kind());
      i++;
    }
    return i;
  }

  /**
   * Whether more text could extend the last run: after its last group come only separators, words
   * that continue a number ("double", "and", "slash") or the unfinished start of one.
   */
  private static boolean isOpen(Tokens t, DigitRun run) {
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
  private static int unsureGroups(Tokens t, DigitRun run, int end) {
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
  private int trailingHold(Tokens t, int first, CueState state, int from, int end) {
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
   * Sorted, overlapping findings joined. Text before {@code from} is already released, so a finding
   * that begins there (a month name released before its year) is cut to start at it.
   */
  private static List<Finding> merge(List<Finding> found, int from) {
    found.removeIf(f -> f.end() <= from);
    found.replaceAll(
        f -> f.start() >= from ? f : new Finding(f.kind(), f.name(), from, f.end(), f.last4()));
    found.sort(Comparator.comparingInt(Finding::start).thenComparing(Finding::kind));
    List<Finding> merged = new ArrayList<>(found.size());
    for (Finding f : found) {
      int last = merged.size() - 1;
      if (last >= 0 && f.start() < merged.get(last).end()) {
        merged.set(last, merged.get(last).union(f));
      } else {
        merged.add(f);
      }
    }
    return merged;
  }

  /**
   * Moves the hold point back until nothing decided depends on what is held: before any finding
   * that reaches past it, and to the start of any run it would cut (the rest of a cut run would be
   * judged alone next time). The open run's own hold point is placed on purpose and kept.
   */
  private static int settle(
      List<Finding> merged, List<DigitRun> runs, int hold, int openHold, int end) {
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

  private static boolean answersQuestion(List<Finding> found, int from) {
    for (int i = from; i < found.size(); i++) {
      DetectorKind kind = found.get(i).kind();
      if (kind == DetectorKind.CVV || kind == DetectorKind.EXPIRY) {
        return true;
      }
    }
    return false;
  }

  /**
   * The cues in force at {@code hold}: the start state with, in text order, the cues before it, the
   * cards found before it (which arm card context) and the codes and dates given before it.
   */
  private static CueState stateAt(CueState start, List<Cue> cues, List<Finding> decided, int hold) {
    CueState state = start.copy();
    int f = 0;
    for (Cue c : cues) {
      if (c.end() > hold) {
        break;
      }
      while (f < decided.size() && decided.get(f).end() <= c.end()) {
        apply(decided.get(f++), state);
      }
      state.absorb(c.kind());
    }
    while (f < decided.size()) {
      apply(decided.get(f++), state);
    }
    return state;
  }

  private static void apply(Finding f, CueState state) {
    if (f.kind() == DetectorKind.CARD) {
      state.absorb(CueKind.CARD);
    } else if (f.kind() == DetectorKind.CVV || f.kind() == DetectorKind.EXPIRY) {
      state.answered();
    }
  }
}
