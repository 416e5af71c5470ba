package dev.voicebus.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolReferenceTest {

  private static ToolReference ref(String selector) {
    return new ToolReference(selector, List.of());
  }

  @Test
  void aNameSelectsTheToolOfThatNameWhereverItComesFrom() {
    assertThat(ref("lookup_order").selects("lookup_order", null, null)).isTrue();
    assertThat(ref("lookup_order").selects("lookup_customer", "crm", "lookup_order")).isFalse();
    assertThat(ref("crm_lookup").selects("crm_lookup", "crm", "lookup")).isTrue();
    assertThat(ref("lookup_order").pattern()).isFalse();
  }

  @Test
  void anMcpPatternSelectsByServerAndTheServersOwnToolName() {
    var all = ref("mcp:crm/*");
    assertThat(all.pattern()).isTrue();
    assertThat(all.mcpServer()).contains("crm");
    assertThat(all.selects("crm_lookup", "crm", "lookup")).isTrue();
    assertThat(all.selects("lookup", "billing", "lookup")).isFalse();
    assertThat(all.selects("lookup_order", null, null)).isFalse();

    var one = ref("mcp:crm/lookup");
    assertThat(one.pattern()).isFalse();
    assertThat(one.selects("crm_lookup", "crm", "lookup")).isTrue();
    assertThat(one.selects("crm_lookups", "crm", "lookups")).isFalse();

    var prefixed = ref("mcp:crm/get_*");
    assertThat(prefixed.selects("get_customer", "crm", "get_customer")).isTrue();
    assertThat(prefixed.selects("set_customer", "crm", "set_customer")).isFalse();
    assertThat(ref("mcp:crm/*_v2").selects("a_v2", "crm", "a_v2")).isTrue();
    assertThat(ref("mcp:crm/a.b").selects("x", "crm", "aXb")).isFalse();
  }

  @Test
  void anythingElseIsRefusedWithTheFormsThatWork() {
    for (String bad : List.of("", "mcp:crm", "mcp:/x", "crm/*", "has space", "mcp:c r m/x")) {
      assertThatThrownBy(() -> ref(bad))
          .as(bad)
          .hasMessageContaining("'" + bad + "' is not a tool name")
          .hasMessageContaining("mcp:crm/*");
    }
  }
}
