package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.DigitRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check (Apache Commons Validator) and
 * start with a major industry identifier of a payment card (1-6), written with spaces, dashes or
 * none, or spoken. Within a run it takes, from the leftmost group on, the longest such window that
 * starts and ends at group boundaries, so "4111 1111 1111 1111 123" is a card and a code.
 *
 * <p>For a run still being spoken ({@code open}), a window start is only judged once 19 digits that
 * can no longer change follow it, so a later digit can never turn an already released prefix into a
 * card; what is not yet judged is held back.
 */
final class CardNumberDetector {

  static final int MIN_DIGITS = 13;
  static final int MAX_DIGITS = 19;

  /**
   * The most digits any detector that judges a whole run accepts (a card fragment, see {@link
   * CardFragmentDetector}); a longer run is judged by the card detector alone.
   */
  static final int MAX_JUDGED_DIGITS = MAX_DIGITS;

  /**
   * The cards in a run and the pieces between them.
   *
   * @param cards the card numbers found, in order
   * @param rest the pieces of the run before, between and after cards that are complete
   * @param holdGroup for an open run, the first group that must be held back ({@code size()}: none,
   *     the run ends with a card); -1 if closed
   * @param carry whether the held part continues a piece whose beginning is released
   */
  record Split(List<Finding> cards, List<DigitRun> rest, int holdGroup, boolean carry) {}

  private final boolean enabled;

  CardNumberDetector(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * @param open whether more text may extend the run
   * @param sureGroups how many groups, from the first, can no longer change (for an open run the
   *     last ones may still grow, merge or leave the run)
   */
  Split split(DigitRun run, boolean open, int sureGroups) {
    String digits = run.digits();
    int n = digits.length();
    int sure = open ? run.digitOffset(sureGroups) : n;
    int[] groupAt = new int[n + 1];
    Arrays.fill(groupAt, -1);
    for (int g = 0; g <= run.size(); g++) {
      groupAt[run.digitOffset(g)] = g;
    }
    List<Finding> cards = new ArrayList<>(1);
    List<DigitRun> rest = new ArrayList<>(2);
    int pieceStart = 0;
    int g = 0;
    while (g < run.size()) {
      int d = run.digitOffset(g);
      if (open && d + MAX_DIGITS > sure) {
        break;
      }
      int end = enabled ? cardEndingAt(digits, d, groupAt) : -1;
      if (end < 0) {
        g++;
        continue;
      }
      if (pieceStart < g) {
        rest.add(run.slice(pieceStart, g, run.continuation() && pieceStart == 0));
      }
      int endGroup = groupAt[end];
      cards.add(
          new Finding(
              DetectorKind.CARD,
              DetectorKind.CARD.label(),
              run.group(g).start(),
              run.group(endGroup - 1).end(),
              digits.substring(end - 4, end)));
      g = endGroup;
      pieceStart = g;
    }
    if (!open) {
      if (pieceStart < run.size()) {
        rest.add(run.slice(pieceStart, run.size(), run.continuation() && pieceStart == 0));
      }
      return new Split(cards, rest, -1, false);
    }
    if (pieceStart == run.size()) {
      // the run ends with a card that no later digit can change: a new piece starts after it
      return new Split(cards, rest, run.size(), false);
    }
    boolean continued = run.continuation() && pieceStart == 0;
    // A later card may end the open piece anywhere from group g on, so the piece may still be
    // judged as a whole while its settled part alone is short enough for a whole-run detector.
    boolean judgeable =
        !continued && run.digitOffset(g) - run.digitOffset(pieceStart) <= MAX_JUDGED_DIGITS;
    // Otherwise only its settled groups are released (at least the last group is held: it may
    // still grow).
    int hold = judgeable ? pieceStart : Math.min(g, run.size() - 1);
    return new Split(cards, rest, hold, hold > pieceStart || continued);
  }

  /** The digit offset where the longest card window starting at {@code d} ends, or -1. */
  private static int cardEndingAt(String digits, int d, int[] groupAt) {
    char first = digits.charAt(d);
    if (first < '1' || first > '6') {
      return -1;
    }
    int longest = Math.min(MAX_DIGITS, digits.length() - d);
    for (int len = longest; len >= MIN_DIGITS; len--) {
      int end = d + len;
      if (groupAt[end] >= 0 && LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(digits.substring(d, end))) {
        return end;
      }
    }
    return -1;
  }
}
