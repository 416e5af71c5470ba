package dev.voicebus.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.redaction.detect.Finding;
import dev.voicebus.redaction.policy.CustomPattern;
import dev.voicebus.redaction.policy.DetectorKind;
import dev.voicebus.redaction.policy.RedactionPolicy;
import dev.voicebus.redaction.policy.ReplacementStyle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

  private final Redactor redactor = Redactor.defaults();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "four one one one one one one one one one one one one one one one",
        "four double one one one one one one triple one one one one one one",
        "4111 1111 one one one one 1111",
        "forty-one eleven eleven eleven eleven eleven eleven eleven",
        "Four, one, one, one. One, one, one, one. One, one, one, one. One, one, one, one."
      })
  void cardNumbersInEveryFormBecomeALabelWithTheLastFour(String card) {
    assertThat(redactor.redact("my card is " + card + " ok"))
        .startsWith("my card is [card ****1111]");
    assertThat(redactor.redact("my card is " + card + " ok")).endsWith(" ok");
  }

  @Test
  void aNumberFailingTheLuhnCheckIsNotACardUnlessACardNumberWasAskedFor() {
    assertThat(redactor.redact("4111 1111 1111 1112")).isEqualTo("4111 1111 1111 1112");
    assertThat(redactor.redact("my card number is 4111 1111 1111 1112"))
        .isEqualTo("my card number is [card]");
    assertThat(redactor.redact("card number 4111 1111 1111 1111, call 555 123 4567"))
        .isEqualTo("card number [card ****1111], call 555 123 4567");
  }

  @Test
  void aLuhnValidNumberOutsideThePaymentCardRangeIsNotACard() {
    // 9 is not a payment card's major industry identifier; Luhn-valid 16 digits starting with 9.
    assertThat(redactor.redact("ref 9111 1111 1111 1113")).isEqualTo("ref 9111 1111 1111 1113");
  }

  @Test
  void theReplacementCoversExactlyTheSpokenWords() {
    List<Finding> found =
        redactor.find("It's six oh one one one one one one one one one one one one one seven, ok?");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).kind()).isEqualTo(DetectorKind.CARD);
    assertThat(found.get(0).last4()).isEqualTo("1117");
    assertThat(
            "It's six oh one one one one one one one one one one one one one seven, ok?"
                .substring(found.get(0).start(), found.get(0).end()))
        .isEqualTo("six oh one one one one one one one one one one one one one seven");
  }

  @Test
  void aCodeAndAnExpiryAfterACardAreRedacted() {
    assertThat(redactor.redact("card 4111 1111 1111 1111, expires 12/27, code 737."))
        .isEqualTo("card [card ****1111], expires [expiry], code [cvv].");
    assertThat(redactor.redact("4111 1111 1111 1111 12 27 123"))
        .isEqualTo("[card ****1111] [expiry] [cvv]");
  }

  @Test
  void aCodeAfterASecurityCodeCueIsRedactedInAnyForm() {
    assertThat(redactor.redact("the security code is 123")).isEqualTo("the security code is [cvv]");
    assertThat(redactor.redact("CVV: four hundred and twelve")).isEqualTo("CVV: [cvv]");
    assertThat(redactor.redact("the three digit code on the back is seven three seven"))
        .isEqualTo("the three digit code on the back is [cvv]");
  }

  @Test
  void expiryDatesInCardContextAreRedactedInWrittenAndSpokenForms() {
    assertThat(redactor.redact("it expires twelve twenty-seven")).isEqualTo("it expires [expiry]");
    assertThat(redactor.redact("expiry December 2027")).isEqualTo("expiry [expiry]");
    assertThat(redactor.redact("exp Dec twenty twenty-seven")).isEqualTo("exp [expiry]");
    assertThat(redactor.redact("credit card valid thru 04/2029"))
        .isEqualTo("credit card valid thru [expiry]");
  }

  @Test
  void bareNumbersOutsideCardContextAreNeitherCodesNorDates() {
    for (String text :
        List.of("Order 123 is ready", "see you at 12/27", "December 2027", "room four oh four")) {
      assertThat(redactor.redact(text)).isEqualTo(text);
    }
  }

  @Test
  void amountsAndTheVisibleLastFourAreNotCodesEvenAfterACard() {
    String text = "Your credit card ending in 1111 was charged $45.20 and 120 dollars";
    assertThat(redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void socialSecurityNumbersAreRedactedWrittenOrSpokenAfterACue() {
    assertThat(redactor.redact("SSN 536-22-1234")).isEqualTo("SSN [ssn]");
    assertThat(redactor.redact("it's 536 22 1234")).isEqualTo("it's [ssn]");
    assertThat(
            redactor.redact(
                "my social security number is five three six two two one two three four"))
        .isEqualTo("my social security number is [ssn]");
    assertThat(redactor.redact("number 536221234")).isEqualTo("number 536221234");
    assertThat(redactor.redact("SSN 666-22-1234")).isEqualTo("SSN 666-22-1234");
  }

  @Test
  void nationalInsuranceNumbersAreRedactedWrittenSpacedOrSpelt() {
    assertThat(redactor.redact("NI AB123456C ok")).isEqualTo("NI [nino] ok");
    assertThat(redactor.redact("NI AB 12 34 56 C ok")).isEqualTo("NI [nino] ok");
    assertThat(redactor.redact("national insurance A B one two three four five six C"))
        .isEqualTo("national insurance [nino]");
    assertThat(redactor.redact("GB123456A")).isEqualTo("GB123456A");
    assertThat(redactor.redact("DA123456A")).isEqualTo("DA123456A");
  }

  @Test
  void canadianSocialInsuranceNumbersNeedTheLuhnCheck() {
    assertThat(redactor.redact("SIN 355 512 575")).isEqualTo("SIN [sin]");
    assertThat(redactor.redact("SIN 355 512 576")).isEqualTo("SIN 355 512 576");
    assertThat(redactor.redact("my social insurance number is 355512575"))
        .isEqualTo("my social insurance number is [sin]");
  }

  @Test
  void emailAndPhoneAreOffByDefaultAndRedactedWhenOn() {
    String text = "mail jane.doe@example.co.uk or call (555) 123-4567 or +44 20 7946 0958";
    assertThat(redactor.redact(text)).isEqualTo(text);
    Redactor on =
        Redactor.of(RedactionPolicy.defaults().with(DetectorKind.EMAIL, DetectorKind.PHONE));
    assertThat(on.redact(text)).isEqualTo("mail [email] or call ([phone] or [phone]");
  }

  @Test
  void customPatternsAreRedactedWithTheirName() {
    Redactor custom =
        Redactor.of(
            new RedactionPolicy(
                true,
                RedactionPolicy.DEFAULT_DETECTORS,
                List.of(CustomPattern.compile("account", "ACC-\\d{8}", ReplacementStyle.LABEL)),
                Map.of(),
                RedactionPolicy.DEFAULT_MASK,
                false));
    assertThat(custom.redact("account ACC-12345678, not ACC-1234"))
        .isEqualTo("account [account], not ACC-1234");
  }

  @Test
  void replacementStylesAreConfigurablePerDetector() {
    Redactor styled =
        Redactor.of(
            new RedactionPolicy(
                true,
                RedactionPolicy.DEFAULT_DETECTORS,
                List.of(),
                Map.of(
                    DetectorKind.CARD,
                    ReplacementStyle.LABEL,
                    DetectorKind.CVV,
                    ReplacementStyle.MASK),
                "####",
                false));
    assertThat(styled.redact("4111 1111 1111 1111 cvv 123")).isEqualTo("[card] cvv ####");
  }

  @Test
  void aDisabledPolicyRedactsNothing() {
    Redactor off = Redactor.of(RedactionPolicy.disabled());
    assertThat(off.redact("4111 1111 1111 1111")).isEqualTo("4111 1111 1111 1111");
    assertThat(off.newCall().delta("i", "4111 1111 1111 1111")).isEqualTo("4111 1111 1111 1111");
  }

  @Test
  void onlyTheDetectorsThatAreOnRedact() {
    Redactor cardsOnly =
        Redactor.of(
            new RedactionPolicy(
                true, Set.of(DetectorKind.CARD), List.of(), Map.of(), "[x]", false));
    assertThat(cardsOnly.redact("4111 1111 1111 1111 cvv 123, SSN 536-22-1234"))
        .isEqualTo("[card ****1111] cvv 123, SSN 536-22-1234");
  }

  @Test
  void keypadDigitsAreMaskedWhenTheProfileMarksThemSensitive() {
    Redactor sensitive =
        Redactor.of(
            new RedactionPolicy(
                true, RedactionPolicy.DEFAULT_DETECTORS, List.of(), Map.of(), "[x]", true));
    assertThat(sensitive.keypad("The caller pressed 1 2 3 4 #"))
        .isEqualTo("The caller pressed X X X X #");
    assertThat(redactor.keypad("1234#")).isEqualTo("1234#");
    assertThat(redactor.keypad("4111111111111111#")).isEqualTo("[card ****1111]#");
    assertThat(KeypadMask.mask("*0#9A")).isEqualTo("*X#XA");
  }
}
