package dev.voicebus.ingest.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TwilioNumbersTest {

  @Test
  void routesEachCalledNumberToItsTenantAndProfile() {
    var numbers =
        TwilioNumbers.parse(
            "+15551230000=acme/support, +15559870000=sales\n# a comment\n\n+15550000001=globex/pin",
            "default");

    assertThat(numbers.route("+15551230000"))
        .contains(new TwilioNumbers.Route("+15551230000", "acme", "support"));
    assertThat(numbers.route("+15559870000"))
        .contains(new TwilioNumbers.Route("+15559870000", "default", "sales"));
    assertThat(numbers.route("+15550000001")).get().extracting(r -> r.profile()).isEqualTo("pin");
    assertThat(numbers.route("+15550000002")).isEmpty();
    assertThat(numbers.route(null)).isEmpty();
  }

  @Test
  void failsNamingTheKeyAndTheBadEntry() {
    assertThatThrownBy(() -> TwilioNumbers.parse("5551230000=support", "default"))
        .hasMessageStartingWith("ingest.twilio.numbers is invalid at '5551230000=support'")
        .hasMessageContaining("E.164");
    assertThatThrownBy(() -> TwilioNumbers.parse("+15551230000", "default"))
        .hasMessageContaining("NUMBER=TENANT/PROFILE");
    assertThatThrownBy(() -> TwilioNumbers.parse("+15551230000=acme/", "default"))
        .hasMessageContaining("tenant and profile");
    assertThatThrownBy(
            () -> TwilioNumbers.parse("+15551230000=support,+15551230000=sales", "default"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> TwilioNumbers.parse("# only a comment", "default"))
        .hasMessageContaining("lists no number");
  }
}
