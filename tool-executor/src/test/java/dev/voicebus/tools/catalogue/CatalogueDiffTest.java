package dev.voicebus.tools.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.avro.ToolOrigin;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogueDiffTest {

  private static ToolCatalogueEntry entry(String name, String description) {
    return ToolCatalogueEntry.newBuilder()
        .setName(name)
        .setDescription(description)
        .setParametersJson("{\"type\":\"object\"}")
        .setOrigin(ToolOrigin.BUILTIN)
        .build();
  }

  @Test
  void theSameCatalogueNeedsNoWrite() {
    var catalogue = Map.of("a", entry("a", "A"), "b", entry("b", "B"));
    assertThat(CatalogueDiff.between(catalogue, Map.copyOf(catalogue)).isEmpty()).isTrue();
  }

  @Test
  void newAndChangedToolsAreWrittenAndGoneOnesTombstoned() {
    var published = Map.of("a", entry("a", "A"), "b", entry("b", "B"), "gone", entry("gone", "G"));
    var wanted =
        Map.of("a", entry("a", "A"), "b", entry("b", "B, better"), "new", entry("new", "N"));

    var diff = CatalogueDiff.between(published, wanted);

    assertThat(diff.puts()).containsOnlyKeys("b", "new");
    assertThat(diff.puts().get("b").getDescription()).isEqualTo("B, better");
    assertThat(diff.tombstones()).containsExactly("gone");
  }

  @Test
  void aRecordThatCouldNotBeReadIsReplacedOrRemoved() {
    Map<String, ToolCatalogueEntry> published = new HashMap<>();
    published.put("a", null);
    published.put("stale", null);

    var diff = CatalogueDiff.between(published, Map.of("a", entry("a", "A")));

    assertThat(diff.puts()).containsOnlyKeys("a");
    assertThat(diff.tombstones()).containsExactly("stale");
  }
}
