package dev.voicebus.ingest.twilio.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.config.Secret;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class TransferFailuresTest {

  @Test
  void tellsTheAgentWhyATransferFailedInASentence() {
    assertThat(TransferFailures.sentence("+15551230000", new TwilioApiException(400, 21211, "x")))
        .isEqualTo(
            "The transfer to +15551230000 did not go through: the phone company refused it."
                + " Tell the caller and offer to help another way.");
    assertThat(TransferFailures.sentence("+1555", new TwilioApiException(404, 20404, "x")))
        .contains("the call can no longer be moved");
    assertThat(TransferFailures.sentence("+1555", new TwilioApiException(400, 21220, "x")))
        .contains("the call can no longer be moved");
    assertThat(TransferFailures.sentence("+1555", new TwilioApiException(401, 20003, "x")))
        .contains("did not accept this service's credentials");
    assertThat(TransferFailures.sentence("+1555", new TwilioApiException(503, 0, "x")))
        .contains("not taking requests right now");
    assertThat(TransferFailures.sentence("+1555", new TwilioApiException(0, 0, "x")))
        .contains("could not be reached");
    assertThat(TransferFailures.sentence("billing", new IllegalArgumentException("x")))
        .contains("it is not a phone number or a SIP address");
  }

  @Test
  void encodesTheFormAndNeverShowsTheAuthToken() {
    var form = new LinkedHashMap<String, String>();
    form.put("Twiml", "<Response><Dial>+15551230000</Dial></Response>");
    form.put("Status", "completed & done");

    assertThat(TwilioRestClient.encode(form))
        .isEqualTo(
            "Twiml=%3CResponse%3E%3CDial%3E%2B15551230000%3C%2FDial%3E%3C%2FResponse%3E"
                + "&Status=completed+%26+done");
    var credentials = new TwilioCredentials("ACabc123", new Secret("the-auth-token"));
    assertThat(credentials.toString()).isEqualTo("TwilioCredentials[ACabc123, ***]");
    assertThat(credentials.basicAuthorization())
        .isEqualTo("Basic QUNhYmMxMjM6dGhlLWF1dGgtdG9rZW4=");
  }
}
