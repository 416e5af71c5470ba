package dev.voicebus.redaction.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sensitive value described by a regular expression in configuration, such as an account number
 * {@code ACC-\d{8}}. Its name is the replacement label ({@code [account]}).
 *
 * @param name a short identifier, used in the label
 * @param pattern the compiled expression; it must not match empty text
 * @param replacement how matches are replaced ({@link ReplacementStyle#LABEL} or {@link
 *     ReplacementStyle#MASK})
 */
public record CustomPattern(String name, Pattern pattern, ReplacementStyle replacement) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");

  public CustomPattern {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(replacement, "replacement");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "custom pattern name '"
              + name
              + "' is invalid: use a letter then up to 31 letters, digits, '_' or '-'");
    }
    if (pattern.matcher("").matches()) {
      throw new IllegalArgumentException(
          "custom pattern '" + name + "' matches empty text: it must describe a value");
    }
    if (replacement == ReplacementStyle.LABEL_LAST4) {
      throw new IllegalArgumentException(
          "custom pattern '" + name + "': label-last4 is for cards only; use label or mask");
    }
  }

  /** Compiles {@code regex}; a bad expression fails with a message that names the pattern. */
  public static CustomPattern compile(String name, String regex, ReplacementStyle replacement) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "custom pattern '"
              + name
              + "' is not a valid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " of "
              + regex,
          e);
    }
    return new CustomPattern(name, pattern, replacement);
  }
}
