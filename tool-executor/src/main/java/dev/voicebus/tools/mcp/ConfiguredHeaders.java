package dev.voicebus.tools.mcp;

import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

/**
 * Adds an MCP server's configured headers (static ones and {@code Authorization: Bearer ...}) to
 * every HTTP request the SDK makes to it: initialise, each JSON-RPC message, the SSE stream. The
 * values may be secrets: this class never shows them.
 */
final class ConfiguredHeaders implements McpSyncHttpClientRequestCustomizer {

  private final Map<String, String> headers;

  ConfiguredHeaders(Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
  }

  @Override
  public void customize(
      HttpRequest.Builder builder,
      String method,
      URI endpoint,
      String body,
      McpTransportContext context) {
    headers.forEach(builder::setHeader);
  }

  @Override
  public String toString() {
    return "ConfiguredHeaders" + headers.keySet() + " (values ***)";
  }
}
