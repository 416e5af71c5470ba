package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.Tokens;
import java.util.List;

/**
 * Phone numbers (off by default): 10 to 15 digits that are not a card ("(555) 123-4567", "020 7946
 * 0958", spoken), 8 to 15 after a "+", or a local {@code 555-1234}. Extensions and short codes are
 * left alone.
 */
final class PhoneDetector implements RunDetector {

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    if (context.isMoney(run) || run.hasDecimalPoint()) {
      return false;
    }
    int n = run.digitCount();
    Tokens t = context.tokens();
    int before = t.previousNonSpace(run.firstToken() - 1);
    boolean plus = before >= 0 && t.isPunct(before, '+');
    if ((n >= 10 && n <= 15) || (plus && n >= 8 && n <= 15)) {
      out.add(
          Finding.of(DetectorKind.PHONE, plus ? t.get(before).start() : run.start(), run.end()));
      return true;
    }
    if (n == 7 && run.isShaped("-", 3, 4)) {
      out.add(Finding.of(DetectorKind.PHONE, run.start(), run.end()));
      return true;
    }
    return false;
  }
}
