package dev.voicebus.redaction.text;

/**
 * The digits of one numeral or one spoken number phrase ("4111", "double four", "twenty-seven"),
 * with the character span and tokens it came from.
 *
 * @param digits the digits it stands for
 * @param start offset of its first character
 * @param end offset after its last character
 * @param firstToken index of its first token
 * @param lastToken index of its last token
 * @param numeral whether it was written in digits (not words)
 * @param separator the text between the previous group of its run and this one ("" for the first)
 */
public record DigitGroup(
    String digits,
    int start,
    int end,
    int firstToken,
    int lastToken,
    boolean numeral,
    String separator) {

  public int length() {
    return digits.length();
  }
}
