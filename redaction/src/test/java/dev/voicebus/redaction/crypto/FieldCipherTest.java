package dev.voicebus.redaction.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCipherTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static FieldKey key(String id) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return FieldKey.of(id, bytes);
  }

  private final FieldKey k1 = key("k1");
  private final FieldCipher cipher = FieldCipher.of(k1);

  @Test
  void sealedValuesOpenToThePlaintextAndCarryTheKeyId() {
    String sealed = cipher.seal("4111111111111111");
    assertThat(sealed).startsWith("enc:v1:k1:").doesNotContain("4111");
    assertThat(cipher.open(sealed)).isEqualTo("4111111111111111");
  }

  @Test
  void everySealUsesAFreshNonce() {
    assertThat(cipher.seal("same")).isNotEqualTo(cipher.seal("same"));
  }

  @Test
  void anAlteredValueFailsWithAMessageThatNamesTheKeyButNotThePlaintext() {
    String sealed = cipher.seal("4111111111111111");
    byte[] body = Base64.getDecoder().decode(sealed.substring("enc:v1:k1:".length()));
    body[body.length - 1] ^= 1;
    String altered = "enc:v1:k1:" + Base64.getEncoder().encodeToString(body);
    assertThatThrownBy(() -> cipher.open(altered))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("key 'k1'")
        .hasMessageContaining("authentication failed")
        .hasMessageNotContaining("4111");
  }

  @Test
  void aDifferentKeyUnderTheSameIdFails() {
    String sealed = cipher.seal("secret");
    FieldCipher other = FieldCipher.of(key("k1"));
    assertThatThrownBy(() -> other.open(sealed))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("authentication failed");
  }

  @Test
  void anUnknownKeyIdFailsNamingTheKeysThatAreLoaded() {
    String sealed = cipher.seal("secret");
    FieldCipher other = FieldCipher.of(key("k2"));
    assertThatThrownBy(() -> other.open(sealed))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("sealed with key 'k1'")
        .hasMessageContaining("loaded: k2");
  }

  @Test
  void afterARotationOldValuesStillOpenAndNewOnesUseTheNewKey() {
    String old = cipher.seal("old");
    FieldCipher rotated = FieldCipher.of(key("k2"), k1);
    assertThat(rotated.open(old)).isEqualTo("old");
    assertThat(rotated.seal("new")).startsWith("enc:v1:k2:");
  }

  @Test
  void malformedValuesFailClearly() {
    assertThatThrownBy(() -> cipher.open("plain"))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("does not start with enc:v1:");
    assertThatThrownBy(() -> cipher.open("enc:v1:k1:***"))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> cipher.open("enc:v1:k1:AAAA"))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void sensitiveFieldsOfAJsonDocumentAreSealedAndOpenedBackWithTheirTypes() throws Exception {
    String args =
        "{\"amount\": 12.5, \"card\": {\"number\": \"4111111111111111\", \"cvv\": 123},"
            + " \"tags\": [\"a\", \"b\"]}";
    String sealed = cipher.sealFields(args, List.of("/card/number", "/card/cvv", "/missing"));
    assertThat(sealed).doesNotContain("4111").doesNotContain("123");
    assertThat(MAPPER.readTree(sealed).get("amount").doubleValue()).isEqualTo(12.5);
    assertThat(MAPPER.readTree(cipher.openFields(sealed))).isEqualTo(MAPPER.readTree(args));
  }

  @Test
  void aSealedFieldMovedToAnotherFieldDoesNotOpen() throws Exception {
    String sealed = cipher.sealFields("{\"a\": \"x\", \"b\": \"y\"}", List.of("/a"));
    String moved = "{\"b\": " + MAPPER.readTree(sealed).get("a") + "}";
    assertThatThrownBy(() -> cipher.openFields(moved))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("at /b");
  }

  @Test
  void keysAreReadFromRawOrBase64FilesAndBadFilesAreRejectedWithoutTheirContent(@TempDir Path dir)
      throws Exception {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Path raw = Files.write(dir.resolve("raw.key"), bytes);
    Path b64 =
        Files.writeString(dir.resolve("b64.key"), Base64.getEncoder().encodeToString(bytes) + "\n");
    String sealed = FieldCipher.of(FieldKey.fromFile("k", raw)).seal("v");
    assertThat(FieldCipher.of(FieldKey.fromFile("k", b64)).open(sealed)).isEqualTo("v");

    Path shortKey =
        Files.write(dir.resolve("short.key"), "c2VjcmV0".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> FieldKey.fromFile("k", shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("short.key")
        .hasMessageContaining("32")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> FieldKey.fromFile("k", dir.resolve("absent.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absent.key");
    assertThatThrownBy(() -> FieldKey.of("bad id", bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad id");
  }

  @Test
  void neitherKeysNorCiphersShowKeyMaterial() {
    assertThat(k1.toString()).isEqualTo("FieldKey[k1]");
    assertThat(cipher.toString()).isEqualTo("FieldCipher[current=k1, keys=[k1]]");
  }
}
