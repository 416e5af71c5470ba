package dev.voicebus.realtime.client;

import java.util.regex.Pattern;

/**
 * An OpenAI API key. The value is only handed to the handshake's {@code Authorization} header;
 * {@link #toString()} is redacted so the key never reaches logs, exceptions or config dumps.
 */
public final class ApiKey {

  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-]{3,}");

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * Wraps a key.
   *
   * @throws IllegalArgumentException if blank or containing whitespace (the message never contains
   *     the value)
   */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank() || !value.strip().equals(value) || value.contains(" ")) {
      throw new IllegalArgumentException(
          "apiKey must be a non-blank key without whitespace (value not shown)");
    }
    return new ApiKey(value);
  }

  /** The {@code Authorization} header value. */
  String bearerHeader() {
    return "Bearer " + value;
  }

  /** {@code text} with this key and anything that looks like an OpenAI key replaced. */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    return redactKeyLike(text.replace(value, "[redacted]"));
  }

  /** {@code text} with anything that looks like an OpenAI key ({@code sk-...}) replaced. */
  static String redactKeyLike(String text) {
    return text == null ? null : KEY_LIKE.matcher(text).replaceAll("sk-[redacted]");
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
