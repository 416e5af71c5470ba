package dev.voicebus.tools.config;

import dev.voicebus.tools.builtin.TransferDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting of the tool executor, validated on construction. Built from a {@link
 * dev.voicebus.schemas.config.ConfigSource} by {@link ToolExecutorConfigReader}; the README lists
 * each key with its default.
 *
 * @param instanceId stable id of this instance; its transactional.id, so a restarted instance
 *     fences its former self and aborts its unfinished transaction
 * @param groupId consumer group of all executor instances
 * @param httpHost address the metrics port binds to
 * @param httpPort port of {@code /metrics} and {@code /healthz}, 0 for none
 * @param threads size of the pool that runs tools (the overall concurrency limit)
 * @param maxConcurrentPerTool default concurrency limit of one tool
 * @param perToolConcurrency per-tool overrides of that limit
 * @param maxInFlight calls accepted but not yet published before partitions are paused
 * @param retry backoff of idempotent tools
 * @param builtinsEnabled whether the demo tools (lookup_order, ...) are registered
 * @param ordersFile orders data of lookup_order instead of the bundled demo file
 * @param dedupeRetention how long finished toolCallIds are remembered in memory
 * @param maxResultBytes the largest tool output (UTF-8 bytes of {@code outputJson}) published as
 *     is; a larger one becomes a {@code result_too_large} error, and webhook and MCP response
 *     bodies are read only up to a bound derived from it
 * @param transferDirectory the named destinations of the built-in {@code transfer_call}, if any
 * @param fieldKeyFile the AES key that opens the arguments the worker sealed for tools (the same
 *     key file as the worker's {@code worker.field-key-file}), if any
 * @param fieldKeyId the id of that key in sealed values
 * @param mcp how MCP servers are kept up to date: tool list refresh and reconnect backoff
 * @param catalogueResync how often the instance writing {@code tool.catalogue} compares it with its
 *     tools even when nothing changed (repairs what another writer left during a hand-over)
 */
public record ToolExecutorConfig(
    String instanceId,
    String groupId,
    String httpHost,
    int httpPort,
    int threads,
    int maxConcurrentPerTool,
    Map<String, Integer> perToolConcurrency,
    int maxInFlight,
    RetryPolicy retry,
    boolean builtinsEnabled,
    Optional<Path> ordersFile,
    Duration dedupeRetention,
    int maxResultBytes,
    List<WebhookToolConfig> webhooks,
    List<McpServerConfig> mcpServers,
    TransferDirectory transferDirectory,
    Optional<Path> fieldKeyFile,
    String fieldKeyId,
    McpPolicy mcp,
    Duration catalogueResync) {

  private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

  /** Default of {@code tool-executor.max-result-bytes}: 256 KiB. */
  public static final int DEFAULT_MAX_RESULT_BYTES = 256 * 1024;

  /** Smallest allowed {@code tool-executor.max-result-bytes}: 1 KiB. */
  public static final int MIN_RESULT_BYTES = 1024;

  /**
   * Largest allowed {@code tool-executor.max-result-bytes}: 900 KiB, so that a ToolResult record
   * with its other fields stays under Kafka's default 1 MiB record limit.
   */
  public static final int MAX_RESULT_BYTES = 900 * 1024;

  public ToolExecutorConfig {
    if (instanceId == null || !LEGAL_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "tool-executor.instance-id='" + instanceId + "' is invalid: use 1-200 of a-z 0-9 . _ -");
    }
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(httpHost, "httpHost");
    perToolConcurrency = Map.copyOf(perToolConcurrency);
    webhooks = List.copyOf(webhooks);
    mcpServers = List.copyOf(mcpServers);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(ordersFile, "ordersFile");
    Objects.requireNonNull(transferDirectory, "transferDirectory");
    Objects.requireNonNull(mcp, "mcp");
    if (catalogueResync.isNegative() || catalogueResync.isZero()) {
      throw new IllegalArgumentException(
          "tool-executor.catalogue.resync-interval="
              + catalogueResync
              + " is invalid: use a positive duration such as 5m");
    }
    if (maxResultBytes < MIN_RESULT_BYTES || maxResultBytes > MAX_RESULT_BYTES) {
      throw new IllegalArgumentException(
          "tool-executor.max-result-bytes="
              + maxResultBytes
              + " is invalid: use a whole number of bytes from "
              + MIN_RESULT_BYTES
              + " to "
              + MAX_RESULT_BYTES
              + " (results must fit a Kafka record)");
    }
    if (maxInFlight < threads) {
      throw new IllegalArgumentException(
          "tool-executor.max-in-flight="
              + maxInFlight
              + " is invalid: use at least tool-executor.threads ("
              + threads
              + ")");
    }
  }

  /** The concurrency limit of {@code tool}. */
  public int concurrencyOf(String tool) {
    return perToolConcurrency.getOrDefault(tool, maxConcurrentPerTool);
  }

  /** The transactional.id of this instance's producer. */
  public String transactionalId() {
    return groupId + "-" + instanceId;
  }

  /**
   * How MCP servers are followed: every {@code refreshInterval} each connected server is asked for
   * its tools again (besides {@code notifications/tools/list_changed}), and a server that cannot be
   * reached (at start-up or later) is tried again after {@code reconnectInitial}, doubling up to
   * {@code reconnectMax}, while the executor serves its other tools.
   */
  public record McpPolicy(
      Duration refreshInterval, Duration reconnectInitial, Duration reconnectMax) {
    public McpPolicy {
      requirePositive("tool-executor.mcp.refresh-interval", refreshInterval);
      requirePositive("tool-executor.mcp.reconnect.initial", reconnectInitial);
      requirePositive("tool-executor.mcp.reconnect.max", reconnectMax);
      if (reconnectMax.compareTo(reconnectInitial) < 0) {
        throw new IllegalArgumentException(
            "tool-executor.mcp.reconnect.max="
                + reconnectMax
                + " is invalid: use at least tool-executor.mcp.reconnect.initial ("
                + reconnectInitial
                + ")");
      }
    }

    /** Defaults: refresh every minute, reconnect after 1 s doubling up to 1 min. */
    public static final McpPolicy DEFAULT =
        new McpPolicy(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(1));

    private static void requirePositive(String key, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            key + "=" + value + " is invalid: use a positive duration such as 30s");
      }
    }
  }

  /**
   * Retries of idempotent tools: at most {@code maxAttempts} attempts, waiting {@code
   * initialBackoff}, then twice as long each time, never past the call's deadline.
   */
  public record RetryPolicy(int maxAttempts, Duration initialBackoff) {
    public RetryPolicy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "tool-executor.retry.max-attempts=" + maxAttempts + " is invalid: use 1 or more");
      }
      if (initialBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "tool-executor.retry.initial-backoff is invalid: use a duration >= 0");
      }
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration backoffAfter(int attempt) {
      return initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    }
  }
}
