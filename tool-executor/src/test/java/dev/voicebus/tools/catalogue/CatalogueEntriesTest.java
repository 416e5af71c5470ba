package dev.voicebus.tools.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.ToolOrigin;
import dev.voicebus.tools.builtin.EndCallTool;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolRegistry;
import dev.voicebus.tools.testing.NamedTool;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogueEntriesTest {

  private static ToolRegistry registry() {
    var registry =
        ToolRegistry.builder(name -> 2)
            .add(new EndCallTool(), RegisteredTool.Source.BUILTIN)
            .build();
    registry.setServerTools(
        "crm",
        List.of(new NamedTool("acme_lookup", "Looks up Acme customers.", Optional.of("acme"))));
    return registry;
  }

  @Test
  void entriesCarryWhatTheWorkerOffersAndWhoMayUseIt() {
    var entries = CatalogueEntries.of(registry().tools());

    var endCall = entries.get("end_call");
    assertThat(endCall.getOrigin()).isEqualTo(ToolOrigin.BUILTIN);
    assertThat(endCall.getParametersJson()).contains("\"reason\"");
    assertThat(endCall.getTenantId()).isNull();
    var lookup = entries.get("acme_lookup");
    assertThat(lookup.getOrigin()).isEqualTo(ToolOrigin.MCP);
    assertThat(lookup.getTenantId()).isEqualTo("acme");
    assertThat(lookup.getTimeoutMs()).isEqualTo(3000L);
    assertThat(lookup.getDescription()).isEqualTo("Looks up Acme customers.");
  }

  @Test
  void twoInstancesWithTheSameToolsWriteEqualRecords() {
    assertThat(CatalogueEntries.of(registry().tools()))
        .isEqualTo(CatalogueEntries.of(registry().tools()));
  }
}
