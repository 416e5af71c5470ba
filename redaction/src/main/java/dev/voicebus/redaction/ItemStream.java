package dev.voicebus.redaction;

import dev.voicebus.redaction.detect.CueState;
import dev.voicebus.redaction.detect.ScanResult;
import dev.voicebus.redaction.detect.Scanner;

/**
 * The streamed transcript of one item: deltas go in, and what may be published comes out. Text is
 * held back only while it could still be the start of a sensitive value; each delta rescans the
 * held text plus a short look-behind for cues, so the cost per delta does not grow with the item.
 * Confined to the thread of its call.
 */
final class ItemStream {

  /** Characters of released text rescanned for cues split across deltas ("security" + " code"). */
  static final int LOOKBEHIND = 48;

  /** Words of released text rescanned for words that qualify a number ("ending in 1111"). */
  static final int LOOKBEHIND_WORDS = 4;

  static final int LOOKBEHIND_MAX = 256;

  private final Scanner scanner;
  private final CallRedactor call;
  private final int seq;
  private final StringBuilder raw = new StringBuilder();
  private final StringBuilder out = new StringBuilder();
  private int released;
  private boolean carry;
  private int cueHorizon = -1;
  private boolean finished;
  private CueState state = CueState.empty();

  ItemStream(Scanner scanner, CallRedactor call, int seq) {
    this.scanner = scanner;
    this.call = call;
    this.seq = seq;
  }

  int seq() {
    return seq;
  }

  /** Appends a delta; returns the text that may be published now (possibly empty). */
  String feed(String delta) {
    if (finished) {
      throw new IllegalStateException("item already finished; a new delta needs a new item id");
    }
    if (delta == null || delta.isEmpty()) {
      return "";
    }
    raw.append(delta);
    return advance(true);
  }

  /** Releases everything still held, judged as complete text. Idempotent. */
  String finish() {
    if (finished) {
      return "";
    }
    finished = true;
    return advance(false);
  }

  /** Characters received but not yet released. */
  int held() {
    return raw.length() - released;
  }

  boolean sameText(String text) {
    return text.contentEquals(raw);
  }

  /** Everything released so far, i.e. the redacted item once finished. */
  String output() {
    return out.toString();
  }

  private String advance(boolean streaming) {
    int end = raw.length();
    CueState start = call.stateFor(seq, state);
    ScanResult r =
        scanner.scan(raw, lookFrom(), released, end, streaming, carry, cueHorizon, start);
    String piece = scanner.detectors().render(raw, released, r);
    out.append(piece);
    released = r.hold();
    carry = r.carry();
    cueHorizon = r.cueHorizon();
    state = r.state();
    call.arm(state, seq);
    return piece;
  }

  /**
   * The start of the look-behind: a word start at least {@link #LOOKBEHIND} characters and {@link
   * #LOOKBEHIND_WORDS} words before the release point (at most {@link #LOOKBEHIND_MAX}).
   */
  private int lookFrom() {
    int p = released;
    int words = 0;
    while (p > 0 && released - p < LOOKBEHIND_MAX) {
      boolean wordStart =
          !Character.isWhitespace(raw.charAt(p - 1))
              && (p - 1 == 0 || Character.isWhitespace(raw.charAt(p - 2)));
      p--;
      if (wordStart) {
        words++;
        if (words >= LOOKBEHIND_WORDS && released - p >= LOOKBEHIND) {
          break;
        }
      }
    }
    while (p > 0 && p < released && !Character.isWhitespace(raw.charAt(p - 1))) {
      p++;
    }
    return p;
  }
}
