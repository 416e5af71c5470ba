package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector defined by a regular expression over the text: e-mail addresses, written National
 * Insurance numbers, and custom patterns from configuration. The pattern is compiled once; each use
 * makes its own {@link Matcher}, so one instance serves every call.
 *
 * <p>For streamed text, {@link #holdFrom} finds the earliest position in the last {@code window}
 * characters from which the pattern reached the end of the text without failing, i.e. where a match
 * may still be completed by the next delta.
 */
final class RegexDetector {

  private final DetectorKind kind;
  private final String name;
  private final Pattern pattern;
  private final Predicate<MatchResult> accept;
  private final int window;

  RegexDetector(
      DetectorKind kind, String name, Pattern pattern, Predicate<MatchResult> accept, int window) {
    this.kind = kind;
    this.name = name;
    this.pattern = pattern;
    this.accept = accept;
    this.window = window;
  }

  void find(CharSequence text, int from, int end, List<Finding> out) {
    Matcher m = matcher(text, from, end);
    while (m.find()) {
      if (m.end() > m.start() && accept.test(m)) {
        out.add(new Finding(kind, name, m.start(), m.end(), null));
      }
    }
  }

  /** The earliest position in [from, end) where a match may still grow or complete; end if none. */
  int holdFrom(CharSequence text, int from, int end) {
    Matcher m = matcher(text, from, end);
    for (int p = Math.max(from, end - window); p < end; p++) {
      m.region(p, end);
      // Whether it matched or not: a match that reached the end may grow, and a failure that
      // reached it may still complete.
      m.lookingAt();
      if (m.hitEnd()) {
        return p;
      }
    }
    return end;
  }

  private Matcher matcher(CharSequence text, int from, int end) {
    Matcher m = pattern.matcher(text);
    m.region(from, end);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    return m;
  }
}
