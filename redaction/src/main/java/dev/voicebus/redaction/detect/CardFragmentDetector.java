package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import java.util.List;

/**
 * Part of the card detector: while a card number is awaited (asked for with "card number", "long
 * number", "credit card" and not yet given), a run of 5 to 19 digits that is not a valid card is
 * still redacted as {@code [card]}. It is a card number cut into two turns by a pause, or one with
 * a digit mis-transcribed so that it fails the Luhn check. Amounts and dates ({@code 04/2029}) are
 * left alone.
 */
final class CardFragmentDetector implements RunDetector {

  static final int MIN_DIGITS = 5;

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    int n = run.digitCount();
    if (n < MIN_DIGITS
        || n > CardNumberDetector.MAX_DIGITS
        || !context.cardNumberAwaited()
        || context.isMoney(run)
        || run.hasDecimalPoint()
        || looksLikeDate(run, context)) {
      return false;
    }
    out.add(
        new Finding(DetectorKind.CARD, DetectorKind.CARD.label(), run.start(), run.end(), null));
    return true;
  }

  /** "04/2029", or six digits or fewer after an expiry question: left to the expiry detector. */
  private static boolean looksLikeDate(DigitRun run, RunContext context) {
    return run.hasSlash() || (context.lastSecurity() == CueKind.EXPIRY && run.digitCount() <= 6);
  }
}
