package dev.voicebus.ingest.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A credential that never appears in {@code toString}, logs or exceptions. */
public final class Secret {

  private final String value;

  public Secret(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a secret must not be blank");
    }
    this.value = value;
  }

  /** The raw value, for computing signatures only. */
  public String reveal() {
    return value;
  }

  /** Constant-time comparison with a presented credential. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
