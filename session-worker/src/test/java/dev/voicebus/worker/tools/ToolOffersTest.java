package dev.voicebus.worker.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.worker.config.AgentProfile;
import dev.voicebus.worker.config.AgentProfile.ToolSpec;
import dev.voicebus.worker.config.ToolReference;
import dev.voicebus.worker.session.CallFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolOffersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode schema(String property) {
    return JSON.createObjectNode()
        .put("type", "object")
        .set("properties", JSON.createObjectNode().set(property, JSON.createObjectNode()));
  }

  private static final Map<String, CatalogueTool> CATALOGUE =
      Map.of(
          "lookup_order",
              new CatalogueTool("lookup_order", "Looks up.", schema("order_id"), null, null, null),
          "crm_get_customer",
              new CatalogueTool(
                  "crm_get_customer", "A customer.", schema("id"), null, "crm", "get_customer"),
          "crm_list_orders",
              new CatalogueTool(
                  "crm_list_orders", "Orders.", schema("customer"), null, "crm", "list_orders"),
          "acme_refund",
              new CatalogueTool(
                  "acme_refund", "Refunds (Acme).", schema("amount"), "acme", null, null));

  private static AgentProfile profile(List<ToolSpec> inline, String... names) {
    var base = CallFixture.profiles().find("support").orElseThrow();
    var refs = java.util.Arrays.stream(names).map(n -> new ToolReference(n, List.of())).toList();
    return new AgentProfile(
        "p",
        base.model(),
        base.instructions(),
        base.voice(),
        inline,
        base.toolChoice(),
        base.turnDetection(),
        base.transcriptionModel(),
        base.noiseReduction(),
        base.outputModalities(),
        base.maxOutputTokens(),
        base.reasoningEffort(),
        base.toolTimeout(),
        base.dtmf(),
        base.redactor(),
        refs);
  }

  @Test
  void offersInlineToolsThenNamedOnesWithTheCataloguesSchemas() {
    var inline = new ToolSpec("transfer_call", "Transfers.", schema("destination"));
    var offer =
        ToolOffers.forCall(
            profile(List.of(inline), "lookup_order", "mcp:crm/*"), "globex", CATALOGUE);

    assertThat(offer.tools())
        .extracting(ToolSpec::name)
        .containsExactly("transfer_call", "lookup_order", "crm_get_customer", "crm_list_orders");
    assertThat(offer.tools().get(1).parameters()).isEqualTo(schema("order_id"));
    assertThat(offer.tools().get(2).description()).isEqualTo("A customer.");
    assertThat(offer.unmatched()).isEmpty();
  }

  @Test
  void aTenantsToolIsOfferedOnlyToThatTenantsCalls() {
    var profile = profile(List.of(), "acme_refund", "lookup_order");

    assertThat(ToolOffers.forCall(profile, "acme", CATALOGUE).tools())
        .extracting(ToolSpec::name)
        .containsExactly("acme_refund", "lookup_order");
    var globex = ToolOffers.forCall(profile, "globex", CATALOGUE);
    assertThat(globex.tools()).extracting(ToolSpec::name).containsExactly("lookup_order");
    assertThat(globex.unmatched()).containsExactly("acme_refund");
    // It exists, so the profile itself is valid: the start-up check does not fail on it.
    assertThat(ToolOffers.missing(profile, CATALOGUE)).isEmpty();
  }

  @Test
  void aToolNamedTwiceIsOfferedOnceAndTheInlineDefinitionWins() {
    var inline = new ToolSpec("lookup_order", "My own words.", schema("order_id"));
    var offer =
        ToolOffers.forCall(
            profile(List.of(inline), "lookup_order", "mcp:crm/get_customer", "mcp:crm/*"),
            "acme",
            CATALOGUE);
    assertThat(offer.tools())
        .extracting(ToolSpec::name)
        .containsExactly("lookup_order", "crm_get_customer", "crm_list_orders");
    assertThat(offer.tools().get(0).description()).isEqualTo("My own words.");
  }

  @Test
  void aToolThatLeftTheCatalogueIsNoLongerOffered() {
    var profile = profile(List.of(), "lookup_order", "mcp:crm/*", "mcp:billing/*");
    assertThat(ToolOffers.missing(profile, CATALOGUE)).containsExactly("mcp:billing/*");

    var withoutCrm = new java.util.HashMap<>(CATALOGUE);
    withoutCrm.remove("crm_get_customer");
    withoutCrm.remove("crm_list_orders");
    var offer = ToolOffers.forCall(profile, "acme", withoutCrm);
    assertThat(offer.tools()).extracting(ToolSpec::name).containsExactly("lookup_order");
    assertThat(offer.unmatched()).containsExactly("mcp:crm/*", "mcp:billing/*");
  }

  @Test
  void theStartUpCheckNamesTheProfileAndTheTool() {
    var missing =
        CatalogueCheck.missing(List.of(profile(List.of(), "lookup_ordr", "mcp:crm/*")), CATALOGUE);
    assertThat(missing)
        .containsExactly(
            "Agent profile p names tool lookup_ordr, which is not in the tool catalogue");
  }
}
