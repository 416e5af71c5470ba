package dev.voicebus.redaction.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key with the id that sealed values carry, so keys can rotate: new values are sealed
 * with the current key while older ones still open with theirs. Its {@code toString} shows the id
 * only.
 */
public final class FieldKey {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int KEY_BYTES = 32;

  private final String id;
  private final SecretKey key;

  private FieldKey(String id, byte[] material) {
    this.id = Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "key id '" + id + "' is invalid: use 1 to 32 letters, digits, '_' or '-'");
    }
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "key '" + id + "' has " + material.length + " bytes: AES-256 needs " + KEY_BYTES);
    }
    this.key = new SecretKeySpec(material, "AES");
  }

  /** A key from its 32 bytes (copied). */
  public static FieldKey of(String id, byte[] material) {
    return new FieldKey(id, material.clone());
  }

  /**
   * Reads a key file holding either exactly 32 raw bytes or the base64 of 32 bytes (whitespace
   * around it ignored). The error names the file and its size, never its content.
   */
  public static FieldKey fromFile(String id, Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "key file " + file + " for key '" + id + "' cannot be read: " + e.getMessage(), e);
    }
    try {
      if (content.length == KEY_BYTES) {
        return new FieldKey(id, content);
      }
      byte[] decoded = decodeBase64(content);
      if (decoded == null || decoded.length != KEY_BYTES) {
        throw new IllegalArgumentException(
            "key file "
                + file
                + " for key '"
                + id
                + "' holds "
                + content.length
                + " bytes: expected 32 raw bytes or the base64 of 32 bytes (e.g. `openssl rand"
                + " -base64 32`)");
      }
      return new FieldKey(id, decoded);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  private static byte[] decodeBase64(byte[] content) {
    String text = new String(content, StandardCharsets.US_ASCII).strip();
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "FieldKey[" + id + "]";
  }
}
