package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import java.util.List;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

/**
 * Canadian Social Insurance Numbers: nine digits whose last is a Luhn check digit, not starting
 * with 0 or 8; written {@code 046 454 286} or {@code 046-454-286} anywhere, or in any form after
 * "social insurance" or "SIN".
 */
final class SinDetector implements RunDetector {

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    String d = run.digits();
    if (d.length() != 9
        || d.charAt(0) == '0'
        || d.charAt(0) == '8'
        || context.isMoney(run)
        || !LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(d)) {
      return false;
    }
    if (run.isShaped("- ", 3, 3, 3) || context.armed(CueKind.SIN)) {
      out.add(Finding.of(DetectorKind.CA_SIN, run.start(), run.end()));
      return true;
    }
    return false;
  }
}
