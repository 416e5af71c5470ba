package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import java.util.List;

/**
 * US Social Security numbers: nine digits with a valid area (not 000, 666 or 900-999), group (not
 * 00) and serial (not 0000), written {@code 123-45-6789} or {@code 123 45 6789} anywhere, or in any
 * form (nine digits, spoken) after "social security" or "SSN".
 */
final class SsnDetector implements RunDetector {

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    String d = run.digits();
    if (d.length() != 9 || !valid(d) || context.isMoney(run)) {
      return false;
    }
    if (run.isShaped("- ", 3, 2, 4) || context.armed(CueKind.SSN)) {
      out.add(Finding.of(DetectorKind.SSN, run.start(), run.end()));
      return true;
    }
    return false;
  }

  static boolean valid(String d) {
    int area = Integer.parseInt(d, 0, 3, 10);
    int group = Integer.parseInt(d, 3, 5, 10);
    int serial = Integer.parseInt(d, 5, 9, 10);
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }
}
