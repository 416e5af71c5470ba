package dev.voicebus.tools.mcp;

import dev.voicebus.tools.config.McpServerConfig;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * An MCP server could not be used: not reachable, no answer in time, or it refused the configured
 * credentials. The message names the server, its URL, what failed and the remedy; it never holds a
 * header value or token (nor the SDK's request snapshot, which could).
 */
public final class McpUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private McpUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static McpUnavailableException of(McpServerConfig config, String what, Throwable error) {
    String key = "tools.mcp." + config.server();
    return new McpUnavailableException(
        "MCP server " + key + " at " + config.url() + " " + what + ": " + reason(key, error),
        // The cause may carry the SDK's request snapshot with its headers: not chained.
        null);
  }

  private static String reason(String key, Throwable error) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof McpHttpClientTransportAuthorizationException auth) {
        int status = auth.getResponseInfo() == null ? 0 : auth.getResponseInfo().statusCode();
        return "it refused the credentials (HTTP "
            + status
            + "); check "
            + key
            + ".bearer-token and "
            + key
            + ".headers";
      }
      String message = c.getMessage() == null ? "" : c.getMessage();
      if (message.contains(" 401") || message.contains("401 ") || message.contains("=401")) {
        return "it refused the credentials (HTTP 401); check "
            + key
            + ".bearer-token and "
            + key
            + ".headers";
      }
      if (message.contains(" 403") || message.contains("=403")) {
        return "it refused the credentials (HTTP 403); check "
            + key
            + ".bearer-token and "
            + key
            + ".headers";
      }
      if (c instanceof ConnectException) {
        return "nothing answers there (connection refused)";
      }
      if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
        return "no answer within " + key + ".timeout";
      }
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String text = root.getMessage() == null ? "" : ": " + firstLine(root.getMessage());
    return root.getClass().getSimpleName() + text;
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
