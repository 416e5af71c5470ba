package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.Cue;
import dev.voicebus.redaction.text.CueFinder;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.RunBuilder;
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
  private final HoldPoints holds;

  public Scanner(DetectorSet detectors) {
    this.detectors = detectors;
    this.holds = new HoldPoints(detectors);
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
    Pass pass = new Pass(t, cues, start.copy());
    OpenRun open = null;
    for (int r = 0; r < runs.size(); r++) {
      boolean last = streaming && r == runs.size() - 1;
      open = detect(pass, runs.get(r), last && HoldPoints.isOpen(t, runs.get(r)), from, end);
    }
    pass.absorbUpTo(end);
    int hold = open == null ? end : open.hold();
    for (RegexDetector detector : detectors.textDetectors()) {
      detector.find(text, from, end, pass.found);
      if (streaming) {
        hold = Math.min(hold, detector.holdFrom(text, from, end));
      }
    }
    if (streaming && open == null) {
      hold = Math.min(hold, holds.trailing(t, first, pass.state, from, end));
    }
    List<Finding> merged = merge(pass.found, from);
    int openHold = open == null ? -1 : open.hold();
    if (streaming) {
      hold = HoldPoints.settle(merged, runs, hold, openHold, end);
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
    boolean carryOut =
        (open != null && open.carry() && hold == openHold) || (carry && hold == from);
    return new ScanResult(decided, hold, carryOut, horizon, stateAt(start, cues, decided, hold));
  }

  /**
   * Cards first, then the detectors that judge a run, on each piece of {@code run} between cards;
   * for an open run, where it must be held.
   */
  private OpenRun detect(Pass pass, DigitRun run, boolean open, int from, int end) {
    int unsure = open ? HoldPoints.unsureGroups(pass.tokens, run, end) : 0;
    CardNumberDetector.Split split = detectors.card().split(run, open, run.size() - unsure);
    for (Piece piece : pieces(split)) {
      pass.absorbUpTo(piece.start());
      if (piece.card() != null) {
        pass.found.add(piece.card());
        pass.state.cardGiven();
      } else if (!piece.run().continuation()) {
        int before = pass.found.size();
        for (RunDetector detector : detectors.runDetectors()) {
          if (detector.detect(piece.run(), pass.context, pass.found)) {
            break;
          }
        }
        if (answersQuestion(pass.found, before)) {
          pass.state.answered();
        }
      }
    }
    if (!open) {
      return null;
    }
    int group = split.holdGroup();
    pass.absorbUpTo(group < run.size() ? run.group(group).start() : run.end());
    return new OpenRun(holds.openRun(pass.tokens, run, group, pass.state, from), split.carry());
  }

  /** Where an open run is held, and whether the held part continues a released piece. */
  private record OpenRun(int hold, boolean carry) {}

  /** The working state of one scan: the cues absorbed so far and what was found. */
  private final class Pass {
    final Tokens tokens;
    final List<Cue> cues;
    final CueState state;
    final RunContext context;
    final List<Finding> found = new ArrayList<>();
    int nextCue;

    Pass(Tokens tokens, List<Cue> cues, CueState state) {
      this.tokens = tokens;
      this.cues = cues;
      this.state = state;
      this.context = new RunContext(tokens, state, detectors);
    }

    /** Absorbs, in order, the cues that end at or before {@code offset}. */
    void absorbUpTo(int offset) {
      while (nextCue < cues.size() && cues.get(nextCue).end() <= offset) {
        state.absorb(cues.get(nextCue).kind());
        nextCue++;
      }
    }
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
    if (f.kind() == DetectorKind.CARD && f.last4() != null) {
      // a whole card number; a fragment ([card] without last four) leaves the rest awaited
      state.cardGiven();
    } else if (f.kind() == DetectorKind.CVV || f.kind() == DetectorKind.EXPIRY) {
      state.answered();
    }
  }
}
