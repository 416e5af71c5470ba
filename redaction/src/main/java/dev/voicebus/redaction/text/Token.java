package dev.voicebus.redaction.text;

/**
 * A piece of text between {@code start} (inclusive) and {@code end} (exclusive), offsets into the
 * text it was cut from.
 */
public record Token(TokenType type, int start, int end) {

  public int length() {
    return end - start;
  }

  /** Whether this is the punctuation character {@code c}. */
  public boolean isPunct(CharSequence text, char c) {
    return type == TokenType.PUNCT && text.charAt(start) == c;
  }
}
