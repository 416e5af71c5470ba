package dev.voicebus.tools.testing;

import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** What {@code tool.catalogue} holds now, read as a compacted topic is: the last record per key. */
public final class CatalogueReader {

  private static final AvroSerde<ToolCatalogueEntry> SERDE = AvroSerde.of(ToolCatalogueEntry.class);

  private CatalogueReader() {}

  public static Map<String, ToolCatalogueEntry> read(ExecutorHarness harness) {
    Map<String, ToolCatalogueEntry> catalogue = new TreeMap<>();
    for (var record : harness.readAll(harness.catalogue().name(Topics.TOOL_CATALOGUE))) {
      String name = new String(record.key(), StandardCharsets.UTF_8);
      if (record.value() == null) {
        catalogue.remove(name);
      } else {
        catalogue.put(name, SERDE.decode(record.value()));
      }
    }
    return catalogue;
  }
}
