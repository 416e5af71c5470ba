package dev.voicebus.redaction.detect;

import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.text.CueKind;
import dev.voicebus.redaction.text.DigitRun;
import dev.voicebus.redaction.text.NumberWords;
import dev.voicebus.redaction.text.Token;
import dev.voicebus.redaction.text.TokenType;
import dev.voicebus.redaction.text.Tokens;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * UK National Insurance numbers: two prefix letters (not D, F, I, Q, U, V; second not O; not BG,
 * GB, KN, NK, NT, TN, ZZ), six digits and an optional suffix A-D. Written ones ({@code AB123456C},
 * {@code AB 12 34 56 C}) are found by {@link #WRITTEN}; spelt-out ones ("A B one two three four
 * five six C") as letters before a six-digit run. Letters must be capitals, unless "national
 * insurance" was said.
 */
final class NinoDetector implements RunDetector {

  /** Prefixes that are never allocated. */
  private static final Set<String> NOT_ALLOCATED = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

  private static final String FIRST = "ABCEGHJKLMNOPRSTWXYZ";
  private static final String SECOND = "ABCEGHJKLMNPRSTWXYZ";

  /** Written forms; the text detector that finds them. */
  static final Pattern WRITTEN =
      Pattern.compile(
          "(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ -]?\\d{2}[ -]?\\d{2}[ -]?\\d{2}"
              + "(?:[ -]?[A-D])?(?![A-Za-z0-9])");

  static boolean writtenAllocated(MatchResult m) {
    return !NOT_ALLOCATED.contains(m.group(1));
  }

  @Override
  public boolean detect(DigitRun run, RunContext context, List<Finding> out) {
    if (run.digitCount() != 6) {
      return false;
    }
    Tokens t = context.tokens();
    boolean anyCase = context.armed(CueKind.NINO);
    int start = prefixStart(t, run.firstToken() - 1, anyCase);
    if (start < 0) {
      return false;
    }
    int end = run.end();
    int after = t.nextNonSpace(run.lastToken() + 1);
    if (after >= 0 && isLetter(t, after, "ABCD", anyCase)) {
      end = t.get(after).end();
    }
    out.add(Finding.of(DetectorKind.UK_NINO, start, end));
    return true;
  }

  /** The start of two valid prefix letters ending right before token {@code i + 1}, or -1. */
  static int prefixStart(Tokens t, int i, boolean anyCase) {
    int last = t.previousNonSpace(i);
    if (last < 0 || !isLetters(t, last)) {
      return -1;
    }
    String word = t.text(last);
    if (word.length() == 2) {
      return validPrefix(word, anyCase) ? t.get(last).start() : -1;
    }
    if (word.length() != 1) {
      return -1;
    }
    int first = t.previousNonSpace(last - 1);
    if (first >= 0 && isLetters(t, first) && t.get(first).length() == 1) {
      return validPrefix(t.text(first) + word, anyCase) ? t.get(first).start() : -1;
    }
    return -1;
  }

  /** A word that is not a spoken digit ("oh", "o" are zeros, not letters). */
  private static boolean isLetters(Tokens t, int i) {
    return t.get(i).type() == TokenType.WORD && NumberWords.parse(t, i) == null;
  }

  /** Whether a trailing word could begin a prefix (one or two capitals that may start one). */
  static boolean couldBePrefix(String word, boolean anyCase) {
    if (word.isEmpty() || word.length() > 2) {
      return false;
    }
    char first = anyCase ? Character.toUpperCase(word.charAt(0)) : word.charAt(0);
    if (FIRST.indexOf(first) < 0) {
      return false;
    }
    return word.length() == 1 || validPrefix(word, anyCase);
  }

  private static boolean validPrefix(String letters, boolean anyCase) {
    String up = anyCase ? letters.toUpperCase(java.util.Locale.ROOT) : letters;
    return up.length() == 2
        && FIRST.indexOf(up.charAt(0)) >= 0
        && SECOND.indexOf(up.charAt(1)) >= 0
        && !NOT_ALLOCATED.contains(up);
  }

  private static boolean isLetter(Tokens t, int i, String allowed, boolean anyCase) {
    Token tok = t.get(i);
    if (tok.type() != TokenType.WORD || tok.length() != 1) {
      return false;
    }
    char c = t.text().charAt(tok.start());
    return allowed.indexOf(anyCase ? Character.toUpperCase(c) : c) >= 0;
  }
}
