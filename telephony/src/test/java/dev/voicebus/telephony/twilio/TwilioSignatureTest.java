package dev.voicebus.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;

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
}
