package dev.voicebus.tools.catalogue;

import dev.voicebus.avro.ToolCatalogueEntry;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What must be written to make the catalogue topic hold {@code wanted}: the records that are new or
 * differ, and a tombstone for each name the topic holds that is no longer wanted. Pure.
 *
 * @param puts records to write, by tool name
 * @param tombstones names to delete
 */
public record CatalogueDiff(Map<String, ToolCatalogueEntry> puts, Set<String> tombstones) {

  public CatalogueDiff {
    puts = Map.copyOf(puts);
    tombstones = Set.copyOf(tombstones);
  }

  /**
   * @param published what the topic holds now, by name (a record that could not be read counts as a
   *     different value, so it is overwritten)
   * @param wanted what it should hold
   */
  public static CatalogueDiff between(
      Map<String, ToolCatalogueEntry> published, Map<String, ToolCatalogueEntry> wanted) {
    Map<String, ToolCatalogueEntry> puts = new TreeMap<>();
    wanted.forEach(
        (name, entry) -> {
          if (!published.containsKey(name) || !Objects.equals(published.get(name), entry)) {
            puts.put(name, entry);
          }
        });
    Set<String> tombstones = new TreeSet<>(published.keySet());
    tombstones.removeAll(wanted.keySet());
    return new CatalogueDiff(puts, tombstones);
  }

  public boolean isEmpty() {
    return puts.isEmpty() && tombstones.isEmpty();
  }
}
