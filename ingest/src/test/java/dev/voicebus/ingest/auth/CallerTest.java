package dev.voicebus.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallSource;
import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.config.Secret;
import dev.voicebus.schemas.auth.TenantGrant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CallerTest {

  private static final TenantGrant ACME =
      new TenantGrant("acme", List.of("support", "sales"), OptionalInt.of(5));

  private static CallStartRequest asking(String tenant, String profile) {
    return new CallStartRequest(
        CallSource.WEBSOCKET,
        AudioCodec.PCMU,
        Optional.ofNullable(profile),
        Optional.ofNullable(tenant),
        Optional.empty(),
        Map.of());
  }

  @Test
  void takesTheTenantFromTheCredentialAndAnAllowedProfile() {
    var caller = Caller.bearer(ACME);

    var granted = (Caller.Granted) caller.entitle(asking(null, null), "default");
    assertThat(granted.request().tenant()).isEqualTo("acme");
    assertThat(granted.request().agentProfile()).contains("support");

    var named = (Caller.Granted) caller.entitle(asking("acme", "sales"), "default");
    assertThat(named.request().agentProfile()).contains("sales");
  }

  @Test
  void refusesATenantOrProfileTheCredentialDoesNotAllow() {
    var caller = Caller.bearer(ACME);

    assertThat(caller.entitle(asking("globex", "support"), "default"))
        .isEqualTo(
            new Caller.Refused(
                "tenantId 'globex' is not allowed: this credential is for tenant acme"));
    assertThat(caller.entitle(asking(null, "billing"), "default"))
        .isEqualTo(new Caller.Refused("agentProfile 'billing' is not allowed for tenant acme"));
  }

  @Test
  void aTwilioStreamMustComeFromTheAccountThatSignedIt() {
    var pinned =
        Caller.twilio(new TwilioAccounts.Account(Optional.of("AC1"), new Secret("token-1"), ACME));
    assertThat(pinned.checkAccount("AC1")).isEmpty();
    assertThat(pinned.checkAccount("AC2"))
        .contains("start.accountSid 'AC2' is not the account this stream was signed for");

    var anyAccount =
        Caller.twilio(
            new TwilioAccounts.Account(
                Optional.empty(), new Secret("token-1"), TenantGrant.anyProfile("default")));
    assertThat(anyAccount.checkAccount("AC2")).isEmpty();
    assertThat(Caller.bearer(ACME).checkAccount("AC9")).isEmpty();
  }
}
