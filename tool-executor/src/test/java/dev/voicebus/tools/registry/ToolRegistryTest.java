package dev.voicebus.tools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.tools.builtin.EndCallTool;
import dev.voicebus.tools.builtin.TransferCallTool;
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
}
