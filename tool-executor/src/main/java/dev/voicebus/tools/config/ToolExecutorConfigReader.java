package dev.voicebus.tools.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.tools.api.ToolSchemas;
import dev.voicebus.tools.builtin.TransferDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads a {@link ToolExecutorConfig} from a {@link ConfigSource}; keys are in the README. */
public final class ToolExecutorConfigReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolExecutorConfigReader() {}

  public static ToolExecutorConfig read(ConfigSource config) {
    int threads = config.integer("tool-executor.threads", 16, 1, 1024);
    return new ToolExecutorConfig(
        config.string("tool-executor.instance-id", defaultInstanceId()),
        config.string("tool-executor.group-id", "voicebus-tool-executor"),
        config.string("tool-executor.http-host", "0.0.0.0"),
        config.integer("tool-executor.http-port", 8083, 0, 65_535),
        threads,
        config.integer("tool-executor.max-concurrent-per-tool", 8, 1, 1024),
        perToolConcurrency(config),
        config.integer("tool-executor.max-in-flight", Math.max(64, threads), 1, 100_000),
        new ToolExecutorConfig.RetryPolicy(
            config.integer("tool-executor.retry.max-attempts", 3, 1, 20),
            config.duration("tool-executor.retry.initial-backoff", Duration.ofMillis(100))),
        config.bool("tool-executor.builtins.enabled", true),
        config.get("tool-executor.builtins.orders-file").map(Path::of),
        config.duration("tool-executor.dedupe.retention", Duration.ofHours(24)),
        config.integer(
            "tool-executor.max-result-bytes",
            ToolExecutorConfig.DEFAULT_MAX_RESULT_BYTES,
            ToolExecutorConfig.MIN_RESULT_BYTES,
            ToolExecutorConfig.MAX_RESULT_BYTES),
        webhooks(config),
        mcpServers(config),
        config
            .get("tool-executor.transfer.directory")
            .map(TransferDirectory::parse)
            .orElse(TransferDirectory.NONE),
        config.get("tool-executor.field-key-file").map(Path::of),
        config.string("tool-executor.field-key-id", "k1"),
        new ToolExecutorConfig.McpPolicy(
            config.duration(
                "tool-executor.mcp.refresh-interval",
                ToolExecutorConfig.McpPolicy.DEFAULT.refreshInterval()),
            config.duration(
                "tool-executor.mcp.reconnect.initial",
                ToolExecutorConfig.McpPolicy.DEFAULT.reconnectInitial()),
            config.duration(
                "tool-executor.mcp.reconnect.max",
                ToolExecutorConfig.McpPolicy.DEFAULT.reconnectMax())),
        config.duration("tool-executor.catalogue.resync-interval", Duration.ofMinutes(5)));
  }

  private static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "tool-executor";
    }
  }

  private static Map<String, Integer> perToolConcurrency(ConfigSource config) {
    Map<String, Integer> limits = new HashMap<>();
    for (String tool : config.withPrefix("tools.concurrency.").keySet()) {
      limits.put(tool, config.integer("tools.concurrency." + tool, 8, 1, 1024));
    }
    return limits;
  }

  private static List<WebhookToolConfig> webhooks(ConfigSource config) {
    List<WebhookToolConfig> webhooks = new ArrayList<>();
    for (String name : names(config, "tools.webhook.")) {
      String key = "tools.webhook." + name + ".";
      webhooks.add(
          new WebhookToolConfig(
              name,
              config.uri(key + "url", null),
              config.string(key + "description", "Calls the " + name + " service."),
              parameters(config, key + "parameters"),
              config.duration(key + "timeout", Duration.ofSeconds(5)),
              secrets(config.requireString(key + "secret")),
              config.bool(key + "idempotent", false),
              config.get(key + "tenant")));
    }
    return webhooks;
  }

  private static List<McpServerConfig> mcpServers(ConfigSource config) {
    List<McpServerConfig> servers = new ArrayList<>();
    for (String server : serverNames(config)) {
      String key = "tools.mcp." + server + ".";
      URI url = config.uri(key + "url", null);
      if (url == null) {
        throw new IllegalArgumentException(key + "url is required, e.g. http://127.0.0.1:3001/mcp");
      }
      servers.add(
          new McpServerConfig(
              server,
              url,
              McpServerConfig.Transport.parse(
                  server, config.string(key + "transport", "streamable-http")),
              config.duration(key + "timeout", Duration.ofSeconds(10)),
              config.bool(key + "idempotent", false),
              headers(config, key + "headers"),
              config.get(key + "bearer-token"),
              config.string(key + "tool-prefix", ""),
              config.get(key + "tenant")));
    }
    return servers;
  }

  /**
   * The {@code <server>} parts of {@code tools.mcp.<server>.<setting>} keys: everything before the
   * first dot, so settings with dots of their own ({@code bearer-token.file}) and environment
   * variables ({@code VOICEBUS_TOOLS_MCP_CRM_BEARER_TOKEN}) name the same server.
   */
  private static Set<String> serverNames(ConfigSource config) {
    Set<String> names = new TreeSet<>();
    for (String rest : config.withPrefix("tools.mcp.").keySet()) {
      int dot = rest.indexOf('.');
      if (dot > 0) {
        names.add(rest.substring(0, dot));
      }
    }
    return names;
  }

  /** Secrets separated by spaces, commas or new lines: several while one rotates. */
  static List<String> secrets(String raw) {
    return Arrays.stream(raw.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A JSON object of header names to values, e.g. {@code {"X-Api-Key": "..."}}; values may be
   * secrets, so an error never quotes the setting.
   */
  private static Map<String, String> headers(ConfigSource config, String key) {
    Optional<String> raw = config.get(key);
    if (raw.isEmpty()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(raw.get());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          key
              + " is invalid: use a JSON object of header names to values, e.g."
              + " {\"X-Api-Key\": \"...\"} (the value is not shown: it may hold a secret)");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          key
              + " is invalid: use a JSON object of header names to values, e.g."
              + " {\"X-Api-Key\": \"...\"}");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : node.properties()) {
      if (!header.getValue().isTextual()) {
        throw new IllegalArgumentException(
            key + ": the value of " + header.getKey() + " must be a JSON string");
      }
      headers.put(header.getKey(), header.getValue().asText());
    }
    return headers;
  }

  /** The {@code <name>} parts of keys {@code prefix<name>.<setting>}. */
  private static Set<String> names(ConfigSource config, String prefix) {
    Set<String> names = new TreeSet<>();
    for (String rest : config.withPrefix(prefix).keySet()) {
      int dot = rest.lastIndexOf('.');
      if (dot > 0) {
        names.add(rest.substring(0, dot));
      }
    }
    return names;
  }

  /** Inline JSON (starting with '{') or the path of a JSON file; a schema with no args if unset. */
  private static JsonNode parameters(ConfigSource config, String key) {
    Optional<String> raw = config.get(key);
    if (raw.isEmpty()) {
      return ToolSchemas.noArguments();
    }
    String text = raw.get();
    try {
      String json = text.startsWith("{") ? text : Files.readString(Path.of(text));
      return ToolSchemas.parse(json);
    } catch (IOException e) {
      throw new UncheckedIOException(key + "='" + text + "': cannot read the schema file", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is invalid: " + e.getMessage(), e);
    }
  }
}
