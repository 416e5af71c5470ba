package dev.voicebus.redaction.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals the values of sensitive tool arguments (a card number a payment tool needs) so they cross
 * Kafka encrypted, and opens them again in the tool executor. AES-256-GCM with a random 96-bit
 * nonce per value; a sealed value is {@code enc:v1:<keyId>:<base64 of nonce, ciphertext and tag>}.
 * The version and key id are authenticated with the value, and {@link #sealFields} also binds each
 * value to its JSON Pointer so it cannot be moved to another field.
 *
 * <p>Thread-safe: a {@link Cipher} is made per operation. Failures never include the plaintext.
 */
public final class FieldCipher {

  public static final String PREFIX = "enc:v1:";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FieldKey current;
  private final Map<String, FieldKey> keys = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /**
   * @param current seals new values (and opens its own)
   * @param older keys that only open values sealed before a rotation
   */
  public FieldCipher(FieldKey current, Collection<FieldKey> older) {
    this.current = current;
    keys.put(current.id(), current);
    for (FieldKey key : older) {
      if (keys.putIfAbsent(key.id(), key) != null) {
        throw new IllegalArgumentException("key id '" + key.id() + "' is given twice");
      }
    }
  }

  public static FieldCipher of(FieldKey current, FieldKey... older) {
    return new FieldCipher(current, java.util.List.of(older));
  }

  /** Whether {@code value} looks like a sealed value. */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** Seals {@code plaintext} with the current key. */
  public String seal(String plaintext) {
    return seal(plaintext, "");
  }

  /**
   * Seals {@code plaintext}, binding it to {@code context} (e.g. the field's JSON Pointer): it
   * opens only with the same context, which is not stored in the sealed value.
   */
  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(current.id(), context));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] body = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e, e);
    }
  }

  /** Opens a value sealed by {@link #seal(String)}. */
  public String open(String sealed) {
    return open(sealed, "");
  }

  /** Opens a value sealed with {@code context}; fails with {@link SealedValueException}. */
  public String open(String sealed, String context) {
    String where = context.isEmpty() ? "sealed value" : "sealed value at " + context;
    if (!isSealed(sealed)) {
      throw new SealedValueException(where + " does not start with " + PREFIX);
    }
    int colon = sealed.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new SealedValueException(
          where + " has no key id: expected " + PREFIX + "<keyId>:<base64>");
    }
    String keyId = sealed.substring(PREFIX.length(), colon);
    FieldKey key = keys.get(keyId);
    if (key == null) {
      throw new SealedValueException(
          where
              + " was sealed with key '"
              + keyId
              + "', which is not loaded here (loaded: "
              + String.join(", ", keys.keySet())
              + ")");
    }
    byte[] body;
    try {
      body = Base64.getDecoder().decode(sealed.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new SealedValueException(where + " (key '" + keyId + "') is not valid base64", e);
    }
    if (body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SealedValueException(where + " (key '" + keyId + "') is too short to be sealed");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          key.secretKey(),
          new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(aad(keyId, context));
      byte[] plain = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SealedValueException(
          where
              + " could not be opened with key '"
              + keyId
              + "': authentication failed, so the value was altered, moved from another field, or"
              + " sealed with a different key under the same id",
          e);
    } catch (GeneralSecurityException e) {
      throw new SealedValueException(where + " (key '" + keyId + "') could not be opened: " + e, e);
    }
  }

  /**
   * Seals the values at {@code pointers} (JSON Pointers such as {@code /card/number}) of a JSON
   * document: each becomes a sealed string holding the value's JSON, bound to its pointer. Absent
   * pointers are skipped.
   */
  public String sealFields(String json, Collection<String> pointers) {
    JsonNode root = parse(json);
    for (String pointer : pointers) {
      com.fasterxml.jackson.core.JsonPointer ptr =
          com.fasterxml.jackson.core.JsonPointer.compile(pointer);
      JsonNode value = root.at(ptr);
      if (value.isMissingNode() || (value.isTextual() && isSealed(value.textValue()))) {
        continue;
      }
      JsonNode parent = root.at(ptr.head());
      TextNode sealed = TextNode.valueOf(seal(value.toString(), pointer));
      if (parent.isObject()) {
        ((ObjectNode) parent).set(ptr.last().getMatchingProperty(), sealed);
      } else if (parent.isArray()) {
        ((ArrayNode) parent).set(ptr.last().getMatchingIndex(), sealed);
      }
    }
    return root.toString();
  }

  /** Opens every sealed string value of a JSON document, restoring the original values. */
  public String openFields(String json) {
    return open(parse(json), "").toString();
  }

  private JsonNode open(JsonNode node, String pointer) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        e.setValue(open(e.getValue(), pointer + "/" + escape(e.getKey())));
      }
      return object;
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, open(array.get(i), pointer + "/" + i));
      }
      return array;
    }
    if (node.isTextual() && isSealed(node.textValue())) {
      String json = open(node.textValue(), pointer);
      try {
        return MAPPER.readTree(json);
      } catch (JsonProcessingException e) {
        throw new SealedValueException("sealed value at " + pointer + " does not hold JSON", e);
      }
    }
    return node;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr(),
          e);
    }
  }

  private static byte[] aad(String keyId, String context) {
    return (PREFIX + keyId + "\n" + context).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "FieldCipher[current=" + current.id() + ", keys=" + keys.keySet() + "]";
  }
}
