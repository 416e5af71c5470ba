package dev.voicebus.tools.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One MCP server declared under {@code tools.mcp.<server>.*}: where it listens, which HTTP
 * transport it speaks, how it authenticates (static headers and/or a bearer token, never shown by
 * {@link #toString()}), how long a request may take, whether its tools may be retried, the prefix
 * its tools get in the catalogue, and the tenant that owns them, if any.
 */
public record McpServerConfig(
    String server,
    URI url,
    Transport transport,
    Duration timeout,
    boolean idempotent,
    Map<String, String> headers,
    Optional<String> bearerToken,
    String toolPrefix,
    Optional<String> tenantId) {

  private static final Pattern LEGAL_SERVER = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9_-]{0,32}");

  /** RFC 9110 token characters: what a header name may be made of. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

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
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(tenantId, "tenantId");
    String key = "tools.mcp." + server;
    if (!LEGAL_SERVER.matcher(server).matches()) {
      throw new IllegalArgumentException(
          key + ": the server name '" + server + "' is invalid: use 1-64 of a-z A-Z 0-9 _ -");
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          key + ".url='" + url + "' is invalid: use an http or https URL");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          key + ".timeout=" + timeout + " is invalid: use a positive duration");
    }
    headers = Map.copyOf(headers);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!HEADER_NAME.matcher(header.getKey()).matches()) {
        throw new IllegalArgumentException(
            key + ".headers: '" + header.getKey() + "' is not a valid HTTP header name");
      }
      if (header.getValue().indexOf('\r') >= 0 || header.getValue().indexOf('\n') >= 0) {
        // The value itself may be a secret: never quoted.
        throw new IllegalArgumentException(
            key + ".headers: the value of " + header.getKey() + " contains a line break");
      }
    }
    if (bearerToken.isPresent()
        && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      throw new IllegalArgumentException(
          key
              + ": set an Authorization header in "
              + key
              + ".headers or "
              + key
              + ".bearer-token, not both");
    }
    if (toolPrefix == null || !LEGAL_PREFIX.matcher(toolPrefix).matches()) {
      throw new IllegalArgumentException(
          key + ".tool-prefix='" + toolPrefix + "' is invalid: use 0-32 of a-z A-Z 0-9 _ -");
    }
  }

  /** The HTTP headers sent with every request to the server (auth included). */
  public Map<String, String> requestHeaders() {
    if (bearerToken.isEmpty()) {
      return headers;
    }
    var all = new java.util.LinkedHashMap<>(headers);
    all.put("Authorization", "Bearer " + bearerToken.get());
    return Map.copyOf(all);
  }

  @Override
  public String toString() {
    return "McpServerConfig[server="
        + server
        + ", url="
        + url
        + ", transport="
        + transport
        + ", timeout="
        + timeout
        + ", idempotent="
        + idempotent
        + ", headers="
        + headers.keySet()
        + " (values ***), bearerToken="
        + (bearerToken.isPresent() ? "***" : "none")
        + ", toolPrefix="
        + toolPrefix
        + ", tenantId="
        + tenantId.orElse("(all)")
        + "]";
  }
}
