package dev.voicebus.ingest.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.ingest.auth.TwilioAccounts;
import dev.voicebus.ingest.config.Secret;
import dev.voicebus.schemas.auth.TenantGrant;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

  private static final Duration TTL = Duration.ofSeconds(60);
  private static final TwilioAccounts.Account ACCOUNT =
      new TwilioAccounts.Account(
          Optional.of("ACacme"), new Secret("acme-auth-token"), TenantGrant.anyProfile("acme"));

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StreamTokens tokens = new StreamTokens(TTL, 3, now::get);

  private static StreamToken.Grant grant(String callId) {
    return new StreamToken.Grant(callId, ACCOUNT, "acme", "support", Map.of("twilio.to", "+1555"));
  }

  private StreamToken issue(String callId, String callSid) {
    return tokens.issue(grant(callId), Optional.ofNullable(callSid)).orElseThrow();
  }

  @Test
  void admitsOneStreamPerToken() {
    StreamToken token = issue("call-1", "CA1");

    var first = tokens.redeem(token.value());
    var second = tokens.redeem(token.value());

    assertThat(first).isInstanceOf(StreamTokens.Admitted.class);
    assertThat(((StreamTokens.Admitted) first).token().grant().callId()).isEqualTo("call-1");
    assertThat(second)
        .isEqualTo(
            new StreamTokens.Refused("stream token already used: each token admits one stream"));
  }

  @Test
  void refusesATokenPastItsLifetime() {
    StreamToken token = issue("call-1", "CA1");
    now.addAndGet(TTL.toNanos());

    assertThat(tokens.redeem(token.value()))
        .isInstanceOfSatisfying(
            StreamTokens.Refused.class,
            r ->
                assertThat(r.reason())
                    .contains("expired")
                    .contains("ingest.twilio.stream-token-ttl"));
  }

  @Test
  void refusesATokenItNeverIssued() {
    assertThat(tokens.redeem("made-up"))
        .isInstanceOfSatisfying(
            StreamTokens.Refused.class,
            r -> assertThat(r.reason()).startsWith("stream token unknown"));
  }

  @Test
  void bindsTheTokenToItsCallSid() {
    StreamToken inbound = issue("call-1", "CA1");

    assertThat(inbound.checkCallSid("CA1")).isEmpty();
    assertThat(inbound.checkCallSid("CA2"))
        .contains("start.callSid 'CA2' is not the call this stream token was issued for");
  }

  @Test
  void anOutboundTokenAdmitsNoCallUntilTwilioNamedIt() {
    StreamToken outbound = issue("call-2", null);
    assertThat(outbound.checkCallSid("CA9"))
        .contains("this stream token is not bound to a call yet");

    tokens.bind(outbound, "CA9");

    assertThat(outbound.callSid()).contains("CA9");
    assertThat(outbound.checkCallSid("CA9")).isEmpty();
  }

  @Test
  void aRevokedTokenIsUnknown() {
    StreamToken token = issue("call-1", null);
    tokens.revoke(token);

    assertThat(tokens.redeem(token.value())).isInstanceOf(StreamTokens.Refused.class);
  }

  @Test
  void holdsAtMostItsCapacityAndMakesRoomAsTokensExpire() {
    issue("a", "CA1");
    issue("b", "CA2");
    issue("c", "CA3");
    assertThat(tokens.issue(grant("d"), Optional.of("CA4"))).isEmpty();

    now.addAndGet(TTL.toNanos());

    assertThat(tokens.issue(grant("d"), Optional.of("CA4"))).isPresent();
    assertThat(tokens.size()).isEqualTo(1);
  }

  @Test
  void tokensAreLongRandomAndUrlSafe() {
    Set<String> seen = new HashSet<>();
    var many = new StreamTokens(TTL, 1000, now::get);
    for (int i = 0; i < 500; i++) {
      String value = many.issue(grant("c" + i), Optional.empty()).orElseThrow().value();
      assertThat(value).matches("[A-Za-z0-9_-]{43}");
      seen.add(value);
    }
    assertThat(seen).hasSize(500);
    assertThat(issue("x", "CA1").toString()).doesNotContain(issue("y", "CA2").value());
  }
}
