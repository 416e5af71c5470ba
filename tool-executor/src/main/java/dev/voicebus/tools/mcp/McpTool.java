package dev.voicebus.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.registry.ToolFacts;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tool listed by an MCP server, run with {@code tools/call} on the server's current connection.
 * Its name in the catalogue is the server's {@code tool-prefix} followed by the tool's own name.
 * Structured content is the output if the server sends it, else the text contents; a result flagged
 * {@code isError} is an error whose message is the server's text. A response larger than the
 * connection's limit is a {@code result_too_large} error; a call that fails below MCP (the server
 * went away) makes the link check the server at once.
 */
public final class McpTool implements Tool, ToolFacts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final McpSchema.Tool tool;
  private final McpServerLink server;
  private final JsonNode schema;

  McpTool(McpSchema.Tool tool, McpServerLink server) {
    this.tool = tool;
    this.server = server;
    this.schema = toSchema(JSON.valueToTree(tool.inputSchema()));
  }

  /** The name the model calls: the server's tool prefix and the tool's own name. */
  @Override
  public String name() {
    return server.config().toolPrefix() + tool.name();
  }

  /** The tool's name on its server. */
  public String serverToolName() {
    return tool.name();
  }

  /** The server's name in the settings ({@code tools.mcp.<server>}). */
  public String server() {
    return server.config().server();
  }

  /** The definition the server listed, to tell whether a new listing changed this tool. */
  McpSchema.Tool listed() {
    return tool;
  }

  @Override
  public Optional<String> tenantId() {
    return server.config().tenantId();
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(server.config().timeout());
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
    Map<String, Object> arguments = JSON.convertValue(invocation.arguments(), Map.class);
    McpSchema.CallToolResult result;
    try {
      result =
          server.call(McpSchema.CallToolRequest.builder(tool.name()).arguments(arguments).build());
    } catch (RuntimeException e) {
      if (tooLarge(e)) {
        return ToolOutcome.error(
            "result_too_large",
            "The " + name() + " tool answered with more information than I can use.");
      }
      if (!(e instanceof McpError)) {
        server.suspect();
      }
      throw e;
    }
    String text = text(result);
    if (Boolean.TRUE.equals(result.isError())) {
      return ToolOutcome.error(
          "tool_error", text.isBlank() ? "The " + name() + " tool failed." : text);
    }
    if (result.structuredContent() != null) {
      return ToolOutcome.ok(JSON.valueToTree(result.structuredContent()));
    }
    return ToolOutcome.ok(JSON.createObjectNode().put("result", text));
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
