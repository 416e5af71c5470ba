package dev.voicebus.worker.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.ToolCatalogueEntry;
import java.util.Optional;

/**
 * One tool of the catalogue as the worker offers it: name, description and parameters schema, the
 * tenant that owns it (null: every tenant), and for MCP tools the server and the tool's name there.
 */
public record CatalogueTool(
    String name,
    String description,
    JsonNode parameters,
    String tenantId,
    String mcpServer,
    String mcpToolName) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The tool of a catalogue record; empty when its schema is not a JSON object. */
  public static Optional<CatalogueTool> of(ToolCatalogueEntry entry) {
    try {
      JsonNode parameters = JSON.readTree(entry.getParametersJson());
      if (parameters == null || !parameters.isObject()) {
        return Optional.empty();
      }
      return Optional.of(
          new CatalogueTool(
              entry.getName(),
              entry.getDescription(),
              parameters,
              entry.getTenantId(),
              entry.getMcpServer(),
              entry.getMcpToolName()));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Whether a call of {@code tenantId} may be offered this tool. */
  public boolean availableTo(String callTenant) {
    return tenantId == null || tenantId.equals(callTenant);
  }
}
