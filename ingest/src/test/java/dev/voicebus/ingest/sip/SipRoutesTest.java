package dev.voicebus.ingest.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SipRoutesTest {

  private final SipRoutes routes =
      SipRoutes.parse(
          "+15551230000=acme/support, +15559870000=sales\n"
              + "# callers from the UK get the UK desk\n"
              + "+15559870000 from +44=acme/uk-sales\n"
              + "+15559870000 from +4420=acme/london\n"
              + "*=globex/reception",
          "default");

  @Test
  void routesTheCalledNumberToItsTenantAndProfile() {
    assertThat(routes.route("+15551230000", "+15550000001"))
        .contains(new SipRoutes.Route("+15551230000", "", "acme", "support"));
    assertThat(routes.route("+15559870000", "+15550000001").orElseThrow().tenant())
        .isEqualTo("default");
  }

  @Test
  void theLongestCallerPrefixWinsThenAnExactNumberBeforeTheWildcard() {
    assertThat(routes.route("+15559870000", "+447700900123").orElseThrow().profile())
        .isEqualTo("uk-sales");
    assertThat(routes.route("+15559870000", "+442079460000").orElseThrow().profile())
        .isEqualTo("london");
    assertThat(routes.route("+15550000000", "+442079460000").orElseThrow().profile())
        .isEqualTo("reception");
    assertThat(routes.route("", "").orElseThrow().tenant()).isEqualTo("globex");
  }

  @Test
  void withoutAWildcardAnUnknownNumberHasNoRoute() {
    SipRoutes one = SipRoutes.parse("+15551230000=support", "default");
    assertThat(one.route("+15550000000", "+15551230000")).isEmpty();
    assertThat(one.route("proj_abc", null)).isEmpty();
  }

  @Test
  void failsNamingTheKeyAndTheBadEntry() {
    assertThatThrownBy(() -> SipRoutes.parse("+15551230000", "default"))
        .hasMessageStartingWith("ingest.sip.routes is invalid at '+15551230000'")
        .hasMessageContaining("TO=TENANT/PROFILE");
    assertThatThrownBy(() -> SipRoutes.parse("+1 555=support", "default"))
        .hasMessageContaining("TO from PREFIX");
    assertThatThrownBy(() -> SipRoutes.parse("sip:+1555@x=support", "default"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> SipRoutes.parse("+1555=acme/", "default"))
        .hasMessageContaining("tenant and profile");
    assertThatThrownBy(() -> SipRoutes.parse("+1555=a, +1555=b", "default"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> SipRoutes.parse("# nothing", "default"))
        .hasMessageContaining("no route");
  }
}
