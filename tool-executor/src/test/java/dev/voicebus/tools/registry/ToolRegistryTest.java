package dev.voicebus.tools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.tools.builtin.EndCallTool;
import dev.voicebus.tools.builtin.TransferCallTool;
import dev.voicebus.tools.testing.NamedTool;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

  @Test
  void discoversJavaToolsThroughTheServiceLoader() {
    var registry =
        ToolRegistry.builder(name -> 4).addServiceLoaded(getClass().getClassLoader()).build();
    assertThat(registry.find("echo_test")).isPresent();
    assertThat(registry.find("echo_test").get().source()).isEqualTo(RegisteredTool.Source.JAVA);
    assertThat(registry.find("echo_test").get().permits().available()).isEqualTo(4);
  }

  @Test
  void definitionsAreRealtimeFunctionTools() {
    var registry =
        ToolRegistry.builder(name -> 1)
            .add(new TransferCallTool(), RegisteredTool.Source.BUILTIN)
            .add(new EndCallTool(), RegisteredTool.Source.BUILTIN)
            .build();
    var definitions = registry.definitions();
    assertThat(definitions)
        .extracting(ToolDefinition::name)
        .containsExactly("end_call", "transfer_call");
    var json = definitions.get(0).toRealtimeTool();
    assertThat(json.get("type").asText()).isEqualTo("function");
    assertThat(json.get("name").asText()).isEqualTo("end_call");
    assertThat(json.get("parameters").get("required").get(0).asText()).isEqualTo("reason");
  }

  @Test
  void twoToolsWithOneNameFailAtStartUp() {
    var builder =
        ToolRegistry.builder(name -> 1).add(new EndCallTool(), RegisteredTool.Source.BUILTIN);
    assertThatThrownBy(() -> builder.add(new EndCallTool(), RegisteredTool.Source.JAVA))
        .hasMessageContaining("Two tools are named 'end_call'");
  }

  @Test
  void serverToolsComeAndGoWhileFixedToolsStay() {
    var registry =
        ToolRegistry.builder(name -> 2)
            .add(new EndCallTool(), RegisteredTool.Source.BUILTIN)
            .build();
    var changes = new java.util.concurrent.atomic.AtomicInteger();
    registry.onChange(changes::incrementAndGet);

    registry.setServerTools("crm", List.of(new NamedTool("lookup_customer")));
    assertThat(registry.names()).containsExactly("end_call", "lookup_customer");
    assertThat(registry.find("lookup_customer").get().source())
        .isEqualTo(RegisteredTool.Source.MCP);

    registry.removeServer("crm");
    assertThat(registry.names()).containsExactly("end_call");
    assertThat(changes.get()).isEqualTo(2);
  }

  @Test
  void aServerToolWhoseNameIsTakenIsLeftOutTheSameWayOnEveryInstance() {
    var registry =
        ToolRegistry.builder(name -> 2)
            .add(new EndCallTool(), RegisteredTool.Source.BUILTIN)
            .build();
    var fromBeta = new NamedTool("lookup", "beta's lookup", Optional.empty());
    var fromAlpha = new NamedTool("lookup", "alpha's lookup", Optional.empty());
    // beta comes up first, alpha later: alpha (first by name) still wins, as on an instance
    // where they came up the other way round.
    registry.setServerTools("beta", List.of(fromBeta, new NamedTool("end_call")));
    registry.setServerTools("alpha", List.of(fromAlpha));

    assertThat(registry.find("lookup").get().tool()).isSameAs(fromAlpha);
    assertThat(registry.find("end_call").get().source()).isEqualTo(RegisteredTool.Source.BUILTIN);
    registry.removeServer("alpha");
    assertThat(registry.find("lookup").get().tool()).isSameAs(fromBeta);
  }

  @Test
  void aServerToolWithANameTheRealtimeApiRefusesIsLeftOut() {
    var registry = ToolRegistry.builder(name -> 2).build();
    registry.setServerTools("crm", List.of(new NamedTool("crm.lookup"), new NamedTool("ok_tool")));
    assertThat(registry.names()).containsExactly("ok_tool");
  }

  @Test
  void aTenantsToolIsFoundOnlyForThatTenantsCalls() {
    var registry = ToolRegistry.builder(name -> 2).build();
    registry.setServerTools(
        "crm", List.of(new NamedTool("acme_crm", "Acme only", Optional.of("acme"))));

    assertThat(registry.find("acme_crm", Optional.of("acme"))).isPresent();
    assertThat(registry.find("acme_crm", Optional.of("globex"))).isEmpty();
    assertThat(registry.find("acme_crm", Optional.empty())).isEmpty();
  }

  @Test
  void anUnchangedToolKeepsItsCompiledValidatorAndPermits() {
    var registry = ToolRegistry.builder(name -> 2).build();
    var tool = new NamedTool("lookup_customer");
    registry.setServerTools("crm", List.of(tool));
    RegisteredTool first = registry.find("lookup_customer").orElseThrow();
    registry.setServerTools("crm", List.of(tool, new NamedTool("other")));
    assertThat(registry.find("lookup_customer").orElseThrow()).isSameAs(first);
    registry.removeServer("crm");
    registry.setServerTools("crm", List.of(new NamedTool("lookup_customer")));
    assertThat(registry.find("lookup_customer").orElseThrow().permits()).isSameAs(first.permits());
  }
}
