package dev.voicebus.redaction.text;

/** What a {@link Token} is made of. */
public enum TokenType {
  /** ASCII digits only, e.g. {@code 4111}. */
  NUMERAL,
  /** Letters only (with inner apostrophes), e.g. {@code four}, {@code it's}. */
  WORD,
  /** Letters and digits mixed, e.g. {@code A1001}, {@code 1st}, {@code cvv2}. */
  ALNUM,
  /** A run of whitespace. */
  SPACE,
  /** One other character, e.g. {@code -}, {@code /}, {@code $}. */
  PUNCT
}
