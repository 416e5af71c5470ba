package dev.voicebus.realtime.sandbox;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which credential the sandbox demands in the WebSocket upgrade: {@link Mode#ANY} any non-empty key
 * (as a bearer token, the browser subprotocol or an {@code api-key} header); {@link Mode#BEARER}
 * exactly {@code Authorization: Bearer KEY} like OpenAI; {@link Mode#API_KEY} exactly {@code
 * api-key: KEY} like Azure OpenAI. Anything else is refused with 401, so clients' credential
 * handling is tested without a real account. {@link #toString()} never shows the key.
 */
public record SandboxAuth(Mode mode, String key) {

  /** How the expected key must arrive. */
  public enum Mode {
    ANY,
    BEARER,
    API_KEY
  }

  /** Any non-empty key is accepted (the default). */
  public static final SandboxAuth ANY = new SandboxAuth(Mode.ANY, null);

  public SandboxAuth {
    Objects.requireNonNull(mode, "mode");
    if (mode != Mode.ANY && (key == null || key.isBlank())) {
      throw new IllegalArgumentException(
          "SANDBOX_API_KEY is required when SANDBOX_AUTH="
              + mode.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
  }

  /** Only {@code Authorization: Bearer key} is accepted. */
  public static SandboxAuth bearer(String key) {
    return new SandboxAuth(Mode.BEARER, key);
  }

  /** Only {@code api-key: key} is accepted. */
  public static SandboxAuth apiKeyHeader(String key) {
    return new SandboxAuth(Mode.API_KEY, key);
  }

  /**
   * From {@code SANDBOX_AUTH} ({@code any}, {@code bearer} or {@code api-key}; default {@code any})
   * and {@code SANDBOX_API_KEY}.
   */
  public static SandboxAuth fromEnv(Map<String, String> env) {
    String raw = env.getOrDefault("SANDBOX_AUTH", "any").trim();
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "any" -> ANY;
      case "bearer" -> bearer(env.get("SANDBOX_API_KEY"));
      case "api-key" -> apiKeyHeader(env.get("SANDBOX_API_KEY"));
      default ->
          throw new IllegalArgumentException(
              "SANDBOX_AUTH='" + raw + "' is invalid: use any, bearer or api-key");
    };
  }

  @Override
  public String toString() {
    return "SandboxAuth[" + mode + (key == null ? "" : ", key=***") + "]";
  }
}
