package dev.voicebus.tools.catalogue;

import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.avro.ToolOrigin;
import dev.voicebus.tools.mcp.McpTool;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolFacts;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The catalogue records of the executor's tools: what {@code tool.catalogue} should hold. Pure and
 * deterministic: two instances with the same tools produce equal records (no instance id, no time),
 * so writing the same catalogue twice changes nothing.
 */
public final class CatalogueEntries {

  private CatalogueEntries() {}

  /** The records of {@code tools}, by name. */
  public static Map<String, ToolCatalogueEntry> of(Collection<RegisteredTool> tools) {
    Map<String, ToolCatalogueEntry> entries = new TreeMap<>();
    for (RegisteredTool tool : tools) {
      entries.put(tool.name(), entry(tool));
    }
    return entries;
  }

  static ToolCatalogueEntry entry(RegisteredTool registered) {
    var tool = registered.tool();
    Optional<ToolFacts> facts =
        tool instanceof ToolFacts f ? Optional.of(f) : Optional.<ToolFacts>empty();
    var builder =
        ToolCatalogueEntry.newBuilder()
            .setName(tool.name())
            .setDescription(tool.description() == null ? "" : tool.description())
            .setParametersJson(tool.parametersSchema().toString())
            .setIdempotent(tool.idempotent())
            .setTimeoutMs(facts.flatMap(ToolFacts::timeout).map(Duration::toMillis).orElse(null))
            .setTenantId(facts.flatMap(ToolFacts::tenantId).orElse(null))
            .setOrigin(origin(registered.source()));
    if (tool instanceof McpTool mcp) {
      builder.setMcpServer(mcp.server()).setMcpToolName(mcp.serverToolName());
    }
    return builder.build();
  }

  private static ToolOrigin origin(RegisteredTool.Source source) {
    return switch (source) {
      case JAVA -> ToolOrigin.JAVA;
      case BUILTIN -> ToolOrigin.BUILTIN;
      case WEBHOOK -> ToolOrigin.WEBHOOK;
      case MCP -> ToolOrigin.MCP;
    };
  }
}
