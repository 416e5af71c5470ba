package dev.voicebus.redaction.text;

import java.util.List;
import java.util.Locale;

/**
 * The tokens of a window of text with the lower-case form of each word, computed once per scan so
 * that the spoken-number parser, the cue finder and the detectors share them.
 */
public final class Tokens {

  private final CharSequence text;
  private final List<Token> list;
  private final String[] lower;

  private Tokens(CharSequence text, List<Token> list) {
    this.text = text;
    this.list = list;
    this.lower = new String[list.size()];
    for (int i = 0; i < lower.length; i++) {
      Token t = list.get(i);
      if (t.type() == TokenType.WORD || t.type() == TokenType.ALNUM) {
        lower[i] = text.subSequence(t.start(), t.end()).toString().toLowerCase(Locale.ROOT);
      }
    }
  }

  /** Tokenizes {@code text} between {@code from} and {@code to}. */
  public static Tokens of(CharSequence text, int from, int to) {
    return new Tokens(text, Tokenizer.tokenize(text, from, to));
  }

  public CharSequence text() {
    return text;
  }

  public int size() {
    return list.size();
  }

  public Token get(int i) {
    return list.get(i);
  }

  /** The lower-case text of a word or mixed token; null for others. */
  public String lower(int i) {
    return lower[i];
  }

  /** The original text of token {@code i}. */
  public String text(int i) {
    Token t = list.get(i);
    return text.subSequence(t.start(), t.end()).toString();
  }

  public boolean isPunct(int i, char c) {
    return i >= 0 && i < list.size() && list.get(i).isPunct(text, c);
  }

  /** The first token at or after {@code i} that is not whitespace, or -1. */
  public int nextNonSpace(int i) {
    for (int j = i; j < list.size(); j++) {
      if (list.get(j).type() != TokenType.SPACE) {
        return j;
      }
    }
    return -1;
  }

  /** The last token at or before {@code i} that is not whitespace, or -1. */
  public int previousNonSpace(int i) {
    for (int j = Math.min(i, list.size() - 1); j >= 0; j--) {
      if (list.get(j).type() != TokenType.SPACE) {
        return j;
      }
    }
    return -1;
  }

  /** The index of the first token that starts at or after {@code offset} (size() if none). */
  public int firstAtOrAfter(int offset) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (list.get(mid).start() < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
