package dev.voicebus.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileCatalogTest {

  @Test
  void loadsTheBundledSupportProfile() {
    var profile = ProfileCatalog.load(Optional.empty()).find("support").orElseThrow();

    assertThat(profile.turnDetection().type()).isEqualTo("server_vad");
    assertThat(profile.toolTimeout()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void rejectsABadFieldNamingTheProfileAndTheField() {
    assertThatThrownBy(
            () -> parse("{\"profiles\":{\"p1\":{\"turnDetection\":{\"type\":\"magic\"}}}}"))
        .hasMessageContaining("profiles.p1.turnDetection.type='magic' is invalid");
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p2\":{\"maxOutputTokens\":9000}}}"))
        .hasMessageContaining("profiles.p2.maxOutputTokens=9000");
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p3\":{\"toolTimeout\":\"soon\"}}}"))
        .hasMessageContaining("profiles.p3.toolTimeout='soon' is invalid");
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p4\":{\"tools\":[{\"name\":\"x\"}]}}}"))
        .hasMessageContaining("profiles.p4.tools[0].parameters must be a JSON schema object");
    assertThatThrownBy(() -> parse("{}")).hasMessageContaining("expected {\"profiles\"");
  }

  @Test
  void readsTheKeypadPolicyWithDefaultsForWhatIsLeftOut() throws Exception {
    var profile =
        parse(
                "{\"profiles\":{\"pin\":{\"dtmf\":{\"terminator\":\"*\","
                    + "\"interDigitTimeout\":\"5s\",\"respond\":false}}}}")
            .find("pin")
            .orElseThrow();

    assertThat(profile.dtmf())
        .isEqualTo(new DtmfPolicy(true, "*", Duration.ofSeconds(5), 32, false));
    assertThat(parse("{\"profiles\":{\"p\":{}}}").find("p").orElseThrow().dtmf())
        .isEqualTo(DtmfPolicy.DEFAULT);
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p5\":{\"dtmf\":{\"terminator\":\"x\"}}}}"))
        .hasMessageContaining("profiles.p5.dtmf.terminator='x' is invalid");
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p6\":{\"dtmf\":{\"maxDigits\":0}}}}"))
        .hasMessageContaining("profiles.p6.dtmf.maxDigits=0 is invalid");
  }

  @Test
  void theBundledSupportProfileNamesItsToolsInsteadOfCopyingThem() {
    var profile = ProfileCatalog.load(Optional.empty()).find("support").orElseThrow();
    assertThat(profile.tools()).isEmpty();
    assertThat(profile.toolRefs())
        .extracting(ToolReference::selector)
        .containsExactly("lookup_order", "get_current_time", "end_call");
  }

  @Test
  void readsNamedToolsBesideInlineOnes() throws Exception {
    var profile =
        parse(
                "{\"profiles\":{\"p\":{\"tools\":[\"lookup_order\",\"mcp:crm/*\","
                    + "{\"tool\":\"take_payment\",\"sensitiveArguments\":[\"/card_number\"]},"
                    + "{\"name\":\"inline\",\"parameters\":{\"type\":\"object\"}}]}}}")
            .find("p")
            .orElseThrow();
    assertThat(profile.tools()).extracting(AgentProfile.ToolSpec::name).containsExactly("inline");
    assertThat(profile.toolRefs())
        .extracting(ToolReference::selector)
        .containsExactly("lookup_order", "mcp:crm/*", "take_payment");
    assertThat(profile.toolRefs().get(2).sensitiveArguments()).containsExactly("/card_number");
    assertThatThrownBy(() -> parse("{\"profiles\":{\"p7\":{\"tools\":[\"crm/*\"]}}}"))
        .hasMessageContaining("profiles.p7.tools[0]: 'crm/*' is not a tool name");
  }

  private static ProfileCatalog parse(String json) throws Exception {
    return ProfileCatalog.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }
}
