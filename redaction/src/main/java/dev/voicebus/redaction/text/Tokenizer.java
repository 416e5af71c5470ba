package dev.voicebus.redaction.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into words, numerals, mixed tokens, whitespace and single punctuation characters, in
 * one pass. Offsets refer to the text given, so findings map straight back to the original.
 */
public final class Tokenizer {

  private Tokenizer() {}

  public static List<Token> tokenize(CharSequence text, int from, int to) {
    List<Token> tokens = new ArrayList<>(Math.max(4, (to - from) / 3));
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        while (i < to && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(TokenType.SPACE, start, i));
      } else if (isDigit(c) || Character.isLetter(c)) {
        boolean digits = false;
        boolean letters = false;
        while (i < to) {
          char d = text.charAt(i);
          if (isDigit(d)) {
            digits = true;
          } else if (Character.isLetter(d)) {
            letters = true;
          } else if (!isInnerApostrophe(text, i, to, start)) {
            break;
          }
          i++;
        }
        TokenType type =
            digits && letters ? TokenType.ALNUM : digits ? TokenType.NUMERAL : TokenType.WORD;
        tokens.add(new Token(type, start, i));
      } else {
        i++;
        tokens.add(new Token(TokenType.PUNCT, start, i));
      }
    }
    return tokens;
  }

  public static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isInnerApostrophe(CharSequence text, int i, int to, int start) {
    char c = text.charAt(i);
    return (c == '\'' || c == '\u2019')
        && i > start
        && Character.isLetter(text.charAt(i - 1))
        && i + 1 < to
        && Character.isLetter(text.charAt(i + 1));
  }
}
