package dev.voicebus.ingest.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipUriTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sip:+18005551212@sip.example.com | +18005551212",
        "\"Alice\" <sip:+15551230000@pstn.twilio.com;user=phone>;tag=1928301774 | +15551230000",
        "<tel:+15551230000> | +15551230000",
        "sips:alice@example.com | alice",
        "sip:%2B15551230000@host | +15551230000",
        "SIP:proj_abc123@sip.api.openai.com;transport=tls | proj_abc123",
        "sip:+15551230000;isub=1@host | +15551230000"
      })
  void readsTheUserPartOfAHeader(String header, String user) {
    assertThat(SipUri.user(header)).hasValue(user);
  }

  @Test
  void findsNoUserWhereThereIsNoSipOrTelUri() {
    assertThat(SipUri.user("+15551230000")).isEmpty();
    assertThat(SipUri.user("http://example.com")).isEmpty();
    assertThat(SipUri.user("sip:@host")).isEmpty();
    assertThat(SipUri.user(null)).isEmpty();
  }

  @Test
  void theCallIdOfACallIsTheSameOnEveryNodeAndDiffersBetweenCalls() {
    assertThat(SipCallIds.of("rtc_1")).isEqualTo(SipCallIds.of("rtc_1"));
    assertThat(SipCallIds.of("rtc_1")).isNotEqualTo(SipCallIds.of("rtc_2"));
    assertThat(java.util.UUID.fromString(SipCallIds.of("rtc_1")).version()).isEqualTo(3);
  }

  @Test
  void recentIdsForgetTheOldestBeyondTheirCapacity() {
    RecentIds ids = new RecentIds(2);
    assertThat(ids.first("a")).isTrue();
    assertThat(ids.first("a")).isFalse();
    ids.first("b");
    ids.first("c");
    assertThat(ids.size()).isEqualTo(2);
    assertThat(ids.first("a")).isTrue();
    ids.forget("c");
    assertThat(ids.first("c")).isTrue();
  }
}
