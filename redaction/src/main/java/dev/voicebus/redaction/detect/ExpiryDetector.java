package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.Months;
import dev.voicebus.redaction.text.TokenType;
import dev.voicebus.redaction.text.Tokens;
import java.util.List;

/**
 * Card expiry dates, only in the context of a card: "12/27", "12/2027", "twelve twenty-seven",
 * "December 2027", "Dec twenty twenty-seven", and after an expiry cue ("expires ...") any run of 2
 * to 6 digits. An expiry spoken straight before the code ("twelve twenty-seven, one two three") is
 * split into the date and the code.
 */
final class ExpiryDetector implements RunDetector {

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    if (!context.cardContext() || context.isMoney(run) || run.hasDecimalPoint()) {
      return false;
    }
    String d = run.digits();
    int n = d.length();
    int month = monthBefore(run, context.tokens());
    if (month >= 0 && (n == 2 || (n == 4 && d.startsWith("20")))) {
      out.add(Finding.of(DetectorKind.EXPIRY, month, run.end()));
      return true;
    }
    boolean expiryAsked = context.lastSecurity() == CueKind.EXPIRY;
    if ((expiryAsked && n >= 2 && n <= 6) || (run.hasSlash() && isSlashDate(run))) {
      out.add(Finding.of(DetectorKind.EXPIRY, run.start(), run.end()));
      return true;
    }
    if (context.lastSecurity() != CueKind.CVV && isMonthYear(run)) {
      out.add(Finding.of(DetectorKind.EXPIRY, run.start(), run.end()));
      return true;
    }
    return splitDateAndCode(run, context, out);
  }

  /** "1227" as two pairs ("twelve twenty-seven", "12 27"), or "122027". */
  private static boolean isMonthYear(DigitRun run) {
    String d = run.digits();
    if (d.length() == 4) {
      return run.size() == 2 && run.group(0).length() == 2 && validMonth(d, 0);
    }
    return d.length() == 6 && validMonth(d, 0) && d.startsWith("20", 2);
  }

  /** "12/27", "4/27", "12/2027": a month, a slash, a year, and nothing else. */
  private static boolean isSlashDate(DigitRun run) {
    String d = run.digits();
    for (int k = 1; k < run.size(); k++) {
      String sep = run.group(k).separator();
      if (sep.indexOf('/') >= 0 || sep.contains("slash")) {
        String month = d.substring(0, run.digitOffset(k));
        String year = d.substring(run.digitOffset(k));
        boolean monthOk =
            (month.length() == 1 && month.charAt(0) != '0')
                || (month.length() == 2 && validMonth(month, 0));
        boolean yearOk = year.length() == 2 || (year.length() == 4 && year.startsWith("20"));
        return monthOk && yearOk;
      }
    }
    return false;
  }

  /** "12 27 123" or "twelve twenty-seven one two three": the date, then a 3-4 digit code. */
  private static boolean splitDateAndCode(DigitRun run, RunContext context, List<Finding> out) {
    String d = run.digits();
    if ((d.length() != 7 && d.length() != 8) || !validMonth(d, 0)) {
      return false;
    }
    for (int k = 1; k < run.size(); k++) {
      if (run.digitOffset(k) == 4) {
        if (run.group(k).separator().indexOf('/') >= 0) {
          return false;
        }
        out.add(Finding.of(DetectorKind.EXPIRY, run.start(), run.group(k - 1).end()));
        if (context.on(DetectorKind.CVV)) {
          out.add(Finding.of(DetectorKind.CVV, run.group(k).start(), run.end()));
        }
        return true;
      }
    }
    return false;
  }

  /** The start of a month name right before the run ("December 2027"), or -1. */
  private static int monthBefore(DigitRun run, Tokens t) {
    int i = t.previousNonSpace(run.firstToken() - 1);
    if (i >= 0 && t.isPunct(i, ',')) {
      i = t.previousNonSpace(i - 1);
    }
    if (i >= 0 && t.get(i).type() == TokenType.WORD && Months.isMonth(t.lower(i))) {
      return t.get(i).start();
    }
    return -1;
  }

  static boolean validMonth(String digits, int at) {
    int m = (digits.charAt(at) - '0') * 10 + (digits.charAt(at + 1) - '0');
    return m >= 1 && m <= 12;
  }
}
