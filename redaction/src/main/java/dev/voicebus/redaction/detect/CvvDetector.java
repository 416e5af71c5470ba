package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.DigitRun;
import java.util.List;

/**
 * Card verification codes (CVV, CVC, CID): a run of 3 or 4 digits, written or spoken, only in the
 * context of a card (a card number, or words such as "security code", "CVV", "expiry" earlier in
 * the text or in a recent turn of the call). Amounts and "ending in 1111" are not codes.
 */
final class CvvDetector implements RunDetector {

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    int n = run.digitCount();
    if ((n != 3 && n != 4)
        || !context.cardContext()
        || context.isMoney(run)
        || run.hasDecimalPoint()
        || isLastFour(context.wordsBefore(run, 3))) {
      return false;
    }
    out.add(Finding.of(DetectorKind.CVV, run.start(), run.end()));
    return true;
  }

  /** "ending in 1111", "ends with", "last four": the visible part of a card, not a code. */
  private static boolean isLastFour(List<String> before) {
    for (String w : before) {
      if (w.equals("ending") || w.equals("ends") || w.equals("last")) {
        return true;
      }
    }
    return false;
  }
}
