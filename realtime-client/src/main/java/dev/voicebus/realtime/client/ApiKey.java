package dev.voicebus.realtime.client;

import java.util.regex.Pattern;

/**
 * The credential of a Realtime endpoint and how it is sent in the WebSocket upgrade: as {@code
 * Authorization: Bearer KEY} (OpenAI's API keys, and Microsoft Entra ID tokens on Azure OpenAI) or
 * as an {@code api-key: KEY} header (Azure OpenAI's resource keys). {@link #toString()} is redacted
 * so the key never reaches logs, exceptions or config dumps.
 */
public final class ApiKey {

  /** How the key travels in the upgrade request. */
  public enum Scheme {
    /** {@code Authorization: Bearer KEY}. */
    BEARER("Authorization"),
    /** {@code api-key: KEY} (Azure OpenAI resource keys). */
    API_KEY("api-key");

    private final String header;

    Scheme(String header) {
      this.header = header;
    }

    /** The name of the HTTP header that carries the key. */
    public String header() {
      return header;
    }
  }

  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-]{3,}");

  private final String value;
  private final Scheme scheme;

  private ApiKey(String value, Scheme scheme) {
    this.value = value;
    this.scheme = scheme;
  }

  /**
   * Wraps a key sent as a bearer token.
   *
   * @throws IllegalArgumentException if blank or containing whitespace (the message never contains
   *     the value)
   */
  public static ApiKey of(String value) {
    return of(value, Scheme.BEARER);
  }

  /**
   * Wraps a key sent with {@code scheme}.
   *
   * @throws IllegalArgumentException if blank or containing whitespace (the message never contains
   *     the value)
   */
  public static ApiKey of(String value, Scheme scheme) {
    if (value == null || value.isBlank() || !value.strip().equals(value) || value.contains(" ")) {
      throw new IllegalArgumentException(
          "apiKey must be a non-blank key without whitespace (value not shown)");
    }
    return new ApiKey(value, java.util.Objects.requireNonNull(scheme, "scheme"));
  }

  public Scheme scheme() {
    return scheme;
  }

  /** The value of the {@link Scheme#header()} header. */
  String headerValue() {
    return scheme == Scheme.BEARER ? "Bearer " + value : value;
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
    return scheme == Scheme.BEARER ? "ApiKey[redacted]" : "ApiKey[redacted, api-key header]";
  }
}
