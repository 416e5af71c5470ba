package dev.voicebus.redaction.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedactionPolicyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static RedactionPolicy parse(String json) throws Exception {
    return RedactionPolicy.fromJson(MAPPER.readTree(json));
  }

  @Test
  void theDefaultRedactsCardsCodesExpiriesAndNationalIdsButNotEmailOrPhone() throws Exception {
    RedactionPolicy policy = RedactionPolicy.fromJson(null);
    assertThat(policy).isEqualTo(RedactionPolicy.defaults());
    assertThat(policy.enabled()).isTrue();
    assertThat(policy.detectors())
        .containsExactlyInAnyOrder(
            DetectorKind.CARD,
            DetectorKind.CVV,
            DetectorKind.EXPIRY,
            DetectorKind.SSN,
            DetectorKind.UK_NINO,
            DetectorKind.CA_SIN);
    assertThat(policy.replacement(DetectorKind.CARD)).isEqualTo(ReplacementStyle.LABEL_LAST4);
    assertThat(policy.replacement(DetectorKind.CVV)).isEqualTo(ReplacementStyle.LABEL);
    assertThat(policy.keypadSensitive()).isFalse();
    assertThat(parse("{}")).isEqualTo(RedactionPolicy.defaults());
  }

  @Test
  void aFullBlockIsRead() throws Exception {
    RedactionPolicy policy =
        parse(
            "{\"enabled\": true, \"detectors\": [\"card\", \"cvv\"], \"email\": true,"
                + " \"phone\": false, \"custom\": [{\"name\": \"account\", \"pattern\":"
                + " \"ACC-\\\\d{8}\", \"replacement\": \"mask\"}], \"replacement\": {\"card\":"
                + " \"label\", \"cvv\": \"mask\"}, \"mask\": \"***\", \"keypadSensitive\": true}");
    assertThat(policy.detectors())
        .containsExactlyInAnyOrder(DetectorKind.CARD, DetectorKind.CVV, DetectorKind.EMAIL);
    assertThat(policy.custom())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("account");
              assertThat(c.pattern().pattern()).isEqualTo("ACC-\\d{8}");
              assertThat(c.replacement()).isEqualTo(ReplacementStyle.MASK);
            });
    assertThat(policy.replacement(DetectorKind.CARD)).isEqualTo(ReplacementStyle.LABEL);
    assertThat(policy.replacement(DetectorKind.CVV)).isEqualTo(ReplacementStyle.MASK);
    assertThat(policy.mask()).isEqualTo("***");
    assertThat(policy.keypadSensitive()).isTrue();
    assertThat(policy.isOn(DetectorKind.CUSTOM)).isTrue();
  }

  @Test
  void aDisabledBlockTurnsEveryDetectorOff() throws Exception {
    RedactionPolicy policy = parse("{\"enabled\": false}");
    for (DetectorKind kind : DetectorKind.values()) {
      assertThat(policy.isOn(kind)).isFalse();
    }
  }

  @Test
  void invalidBlocksFailWithMessagesNamingTheField() {
    assertThatThrownBy(() -> parse("{\"detectors\": [\"card\", \"cvc\"]}"))
        .hasMessageContaining("redaction.detectors[1]")
        .hasMessageContaining("cvc")
        .hasMessageContaining("valid: card, cvv");
    assertThatThrownBy(() -> parse("{\"emial\": true}"))
        .hasMessageContaining("redaction.emial is not a setting");
    assertThatThrownBy(() -> parse("{\"enabled\": \"yes\"}"))
        .hasMessageContaining("redaction.enabled=\"yes\"");
    assertThatThrownBy(() -> parse("{\"replacement\": {\"cvv\": \"label-last4\"}}"))
        .hasMessageContaining("redaction.replacement.cvv")
        .hasMessageContaining("cards only");
    assertThatThrownBy(() -> parse("{\"replacement\": {\"card\": \"stars\"}}"))
        .hasMessageContaining("redaction.replacement.card=\"stars\"")
        .hasMessageContaining("label-last4, label, mask");
    assertThatThrownBy(() -> parse("{\"detectors\": [\"email\"], \"email\": false}"))
        .hasMessageContaining("redaction.email=false contradicts");
    assertThatThrownBy(() -> parse("{\"mask\": \"  \"}")).hasMessageContaining("redaction.mask");
  }

  @Test
  void aBadCustomPatternIsRejectedAtLoadNamingThePattern() {
    assertThatThrownBy(
            () -> parse("{\"custom\": [{\"name\": \"account\", \"pattern\": \"ACC-\\\\d{8\"}]}"))
        .hasMessageContaining("redaction.custom[0]")
        .hasMessageContaining("'account' is not a valid regular expression");
    assertThatThrownBy(() -> parse("{\"custom\": [{\"name\": \"any\", \"pattern\": \"x*\"}]}"))
        .hasMessageContaining("'any' matches empty text");
    assertThatThrownBy(() -> parse("{\"custom\": [{\"name\": \"a b\", \"pattern\": \"x\"}]}"))
        .hasMessageContaining("name 'a b' is invalid");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"custom\": [{\"name\": \"a\", \"pattern\": \"x\"},"
                        + " {\"name\": \"a\", \"pattern\": \"y\"}]}"))
        .hasMessageContaining("'a' is used twice");
    assertThatThrownBy(() -> parse("{\"custom\": [{\"pattern\": \"x\"}]}"))
        .hasMessageContaining("redaction.custom[0].name is missing");
  }
}
