package dev.voicebus.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

  private static final String TOKEN = "12345";
  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

  private static Map<String, String> params(String caller) {
    return Map.of(
        "CallSid", "CA1234567890ABCDE",
        "Caller", caller,
        "Digits", "1234",
        "From", caller,
        "To", "+18005551212");
  }

  @Test
  void matchesTwiliosPublishedVectors() {
    // twilio-php RequestValidatorTest and the Twilio security docs.
    assertThat(TwilioSignature.sign(TOKEN, URL, params("+14158675309")))
        .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    assertThat(TwilioSignature.sign(TOKEN, URL, params("+14158675310")))
        .isEqualTo("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  }

  @Test
  void rejectsTamperedUrlParamsTokenOrMissingSignature() {
    String signature = TwilioSignature.sign(TOKEN, URL, params("+14158675309"));
    assertThat(TwilioSignature.verify(TOKEN, URL, params("+14158675309"), signature)).isTrue();
    assertThat(TwilioSignature.verify(TOKEN, URL + "&x=1", params("+14158675309"), signature))
        .isFalse();
    assertThat(TwilioSignature.verify(TOKEN, URL, params("+14158675300"), signature)).isFalse();
    assertThat(TwilioSignature.verify("54321", URL, params("+14158675309"), signature)).isFalse();
    assertThat(TwilioSignature.verify(TOKEN, URL, params("+14158675309"), null)).isFalse();
  }

  @Test
  void signsAVoiceWebhookOverTheUrlAndItsSortedPostParameters() {
    var form =
        Map.of(
            "To", List.of("+18005551212"),
            "CallSid", List.of("CA1234567890ABCDE"),
            "From", List.of("+14158675309"),
            "Caller", List.of("+14158675309"),
            "Digits", List.of("1234"));

    String signature = TwilioSignature.signForm(TOKEN, URL, form);

    assertThat(signature).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    assertThat(TwilioSignature.verifyAnyPort(TOKEN, URL, form, signature)).isTrue();
    assertThat(
            TwilioSignature.verifyAnyPort(
                TOKEN, URL, Map.of("To", List.of("+18005551212")), signature))
        .isFalse();
  }

  @Test
  void aRepeatedParameterIsSignedWithItsValuesSorted() {
    // URL + "Taga" + "Tagb" either way.
    assertThat(TwilioSignature.signForm(TOKEN, URL, Map.of("Tag", List.of("b", "a"))))
        .isEqualTo(TwilioSignature.signForm(TOKEN, URL + "Taga", Map.of("Tag", List.of("b"))));
  }

  @Test
  void acceptsTheUrlWithOrWithoutItsDefaultPort() {
    String withoutPort = "https://voice.example.com/twilio/voice";
    String withPort = "https://voice.example.com:443/twilio/voice";
    String signedWithPort = TwilioSignature.signForm(TOKEN, withPort, Map.of());
    String signedWithout = TwilioSignature.signForm(TOKEN, withoutPort, Map.of());

    assertThat(TwilioSignature.verifyAnyPort(TOKEN, withoutPort, Map.of(), signedWithPort))
        .isTrue();
    assertThat(TwilioSignature.verifyAnyPort(TOKEN, withPort, Map.of(), signedWithout)).isTrue();
    assertThat(
            TwilioSignature.verifyAnyPort(
                TOKEN, "https://voice.example.com:8443/twilio/voice", Map.of(), signedWithout))
        .isFalse();
  }

  @Test
  void knowsEachSchemesDefaultPortAndKeepsTheQuery() {
    assertThat(TwilioSignature.portForms("wss://h.example/twilio/media?token=a%2Bb"))
        .containsExactly(
            "wss://h.example/twilio/media?token=a%2Bb",
            "wss://h.example:443/twilio/media?token=a%2Bb");
    assertThat(TwilioSignature.portForms("http://127.0.0.1:80/twilio/voice"))
        .containsExactly("http://127.0.0.1:80/twilio/voice", "http://127.0.0.1/twilio/voice");
    assertThat(TwilioSignature.portForms("ws://127.0.0.1:8080/twilio/media"))
        .containsExactly("ws://127.0.0.1:8080/twilio/media");
  }
}
