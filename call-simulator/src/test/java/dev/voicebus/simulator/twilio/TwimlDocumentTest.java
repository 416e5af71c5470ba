package dev.voicebus.simulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.telephony.twilio.Twiml;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwimlDocumentTest {

  @Test
  void readsTheStreamAndItsParametersAsVoicebusWritesThem() {
    var doc =
        TwimlDocument.parse(
            Twiml.DECLARATION
                + Twiml.connectStream(
                    "wss://h/twilio/media?token=a&b", Map.of("agentProfile", "x & <y>")));

    assertThat(doc.stream()).isPresent();
    assertThat(doc.stream().get().url()).isEqualTo("wss://h/twilio/media?token=a&b");
    assertThat(doc.stream().get().parameters()).containsEntry("agentProfile", "x & <y>");
    assertThat(doc.dialTarget()).isEmpty();
  }

  @Test
  void readsDialTargetsSaysAndHangups() {
    assertThat(TwimlDocument.parse(Twiml.dial("+15551230000")).dialTarget())
        .contains("+15551230000");
    assertThat(TwimlDocument.parse(Twiml.dial("sip:a@b.example.com")).dialTarget())
        .contains("sip:a@b.example.com");
    var refusal = TwimlDocument.parse(Twiml.sayAndHangup("Goodbye."));
    assertThat(refusal.says()).containsExactly("Goodbye.");
    assertThat(refusal.hangsUp()).isTrue();
  }

  @Test
  void refusesWhatTwilioWouldNotRun() {
    assertThatThrownBy(() -> TwimlDocument.parse("<Response><Dial>")).hasMessageContaining("XML");
    assertThatThrownBy(() -> TwimlDocument.parse("<Reply/>")).hasMessageContaining("<Response>");
    assertThatThrownBy(() -> TwimlDocument.parse("<Response><Transfer/></Response>"))
        .hasMessageContaining("not a TwiML verb");
    assertThatThrownBy(() -> TwimlDocument.parse("<Response><Dial></Dial></Response>"))
        .hasMessageContaining("names no number");
    assertThatThrownBy(
            () ->
                TwimlDocument.parse(
                    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><Say>&x;</Say></Response>"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
