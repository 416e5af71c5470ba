package dev.voicebus.tools.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One MCP server declared under {@code tools.mcp.<server>.*}: where it listens, which HTTP
 * transport it speaks, how long a request may take, and whether its tools may be retried.
 */
public record McpServerConfig(
    String server, URI url, Transport transport, Duration timeout, boolean idempotent) {

  /** The MCP HTTP transports the executor can speak. */
  public enum Transport {
    /** Streamable HTTP (MCP 2025-03-26 and later): one endpoint, e.g. {@code /mcp}. */
    STREAMABLE_HTTP,
    /** The older HTTP+SSE transport: the URL's path is the SSE endpoint, e.g. {@code /sse}. */
    SSE;

    static Transport parse(String server, String raw) {
      return switch (raw.toLowerCase(Locale.ROOT)) {
        case "streamable", "streamable-http", "http" -> STREAMABLE_HTTP;
        case "sse" -> SSE;
        default ->
            throw new IllegalArgumentException(
                "tools.mcp."
                    + server
                    + ".transport='"
                    + raw
                    + "' is invalid: use streamable-http or sse");
      };
    }
  }

  public McpServerConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(transport, "transport");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "tools.mcp." + server + ".timeout=" + timeout + " is invalid: use a positive duration");
    }
  }
}
