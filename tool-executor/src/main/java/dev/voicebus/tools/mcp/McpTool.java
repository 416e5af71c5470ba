package dev.voicebus.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tool listed by an MCP server, run with {@code tools/call}. Structured content is the output if
 * the server sends it, else the text contents; a result flagged {@code isError} is an error whose
 * message is the server's text. A response larger than the connection's limit is a {@code
 * result_too_large} error.
 */
public final class McpTool implements Tool {

  private final McpSchema.Tool tool;
  private final McpServerConnection server;
  private final JsonNode schema;

  McpTool(McpSchema.Tool tool, McpServerConnection server) {
    this.tool = tool;
    this.server = server;
    this.schema = toSchema(server.json().valueToTree(tool.inputSchema()));
  }

  @Override
  public String name() {
    return tool.name();
  }

  @Override
  public String description() {
    String description = tool.description();
    return description == null || description.isBlank() ? tool.name() : description;
  }

  @Override
  public JsonNode parametersSchema() {
    return schema;
  }

  @Override
  public boolean idempotent() {
    Boolean declared = tool.annotations() == null ? null : tool.annotations().idempotentHint();
    return server.config().idempotent() || Boolean.TRUE.equals(declared);
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    @SuppressWarnings("unchecked")
    Map<String, Object> arguments = server.json().convertValue(invocation.arguments(), Map.class);
    McpSchema.CallToolResult result;
    try {
      result = server.call(new McpSchema.CallToolRequest(tool.name(), arguments));
    } catch (RuntimeException e) {
      if (tooLarge(e)) {
        return ToolOutcome.error(
            "result_too_large",
            "The " + tool.name() + " tool answered with more information than I can use.");
      }
      throw e;
    }
    String text = text(result);
    if (Boolean.TRUE.equals(result.isError())) {
      return ToolOutcome.error(
          "tool_error", text.isBlank() ? "The " + tool.name() + " tool failed." : text);
    }
    if (result.structuredContent() != null) {
      return ToolOutcome.ok(server.json().valueToTree(result.structuredContent()));
    }
    return ToolOutcome.ok(server.json().createObjectNode().put("result", text));
  }

  /** The SDK's bounded body subscribers fail with "... exceeds the maximum allowed size ...". */
  private static boolean tooLarge(Throwable error) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains("exceeds the maximum allowed size")) {
        return true;
      }
    }
    return false;
  }

  private static String text(McpSchema.CallToolResult result) {
    if (result.content() == null) {
      return "";
    }
    return result.content().stream()
        .filter(McpSchema.TextContent.class::isInstance)
        .map(c -> ((McpSchema.TextContent) c).text())
        .collect(Collectors.joining("\n"));
  }

  /** The input schema without null members, as an object schema. */
  private static JsonNode toSchema(JsonNode raw) {
    ObjectNode schema = raw != null && raw.isObject() ? (ObjectNode) raw : null;
    if (schema == null) {
      schema = JsonNodeFactory.instance.objectNode();
    }
    List<String> nullMembers =
        schema.properties().stream()
            .filter(member -> member.getValue().isNull())
            .map(Map.Entry::getKey)
            .toList();
    schema.remove(nullMembers);
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    return schema;
  }
}
