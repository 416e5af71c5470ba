package dev.voicebus.redaction.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@link DigitRun}s in a window of tokens: number phrases (numerals or spoken) chained by
 * whitespace and at most three separator tokens ({@code - , . / ( )}, "slash", "dash") between two
 * groups. Any other word or punctuation ends a run, so "order A1001 for 2 people" has a run "2"
 * only.
 */
public final class RunBuilder {

  private static final String SEPARATORS = "-,./()";
  private static final int MAX_SEPARATORS = 3;

  private RunBuilder() {}

  /** The runs of tokens {@code from} onwards, in order. */
  public static List<DigitRun> build(Tokens t, int from) {
    List<DigitRun> runs = new ArrayList<>();
    List<DigitGroup> current = new ArrayList<>();
    int separators = 0;
    int i = from;
    while (i < t.size()) {
      Token tok = t.get(i);
      if (tok.type() == TokenType.SPACE) {
        i++;
        continue;
      }
      NumberWords.Phrase phrase = NumberWords.parse(t, i);
      if (phrase != null) {
        if (separators > MAX_SEPARATORS) {
          close(runs, current);
        }
        int start = tok.start();
        int end = t.get(phrase.lastToken()).end();
        String sep =
            current.isEmpty()
                ? ""
                : t.text().subSequence(current.get(current.size() - 1).end(), start).toString();
        current.add(
            new DigitGroup(
                phrase.digits(),
                start,
                end,
                i,
                phrase.lastToken(),
                tok.type() == TokenType.NUMERAL,
                sep));
        separators = 0;
        i = phrase.lastToken() + 1;
        continue;
      }
      if (!current.isEmpty() && isSeparator(t, i)) {
        separators++;
      } else {
        close(runs, current);
        separators = 0;
      }
      i++;
    }
    close(runs, current);
    return runs;
  }

  /** Whether token {@code i} may sit between two groups of a run. */
  public static boolean isSeparator(Tokens t, int i) {
    Token tok = t.get(i);
    return switch (tok.type()) {
      case SPACE -> true;
      case PUNCT -> SEPARATORS.indexOf(t.text().charAt(tok.start())) >= 0;
      case WORD -> NumberWords.isJoinerWord(t.lower(i));
      default -> false;
    };
  }

  private static void close(List<DigitRun> runs, List<DigitGroup> current) {
    if (!current.isEmpty()) {
      runs.add(new DigitRun(current, false));
      current.clear();
    }
  }
}
