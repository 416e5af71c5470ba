package dev.voicebus.tools.mcp;

import dev.voicebus.tools.config.McpServerConfig;
import dev.voicebus.tools.config.ToolExecutorConfig.McpPolicy;
import dev.voicebus.tools.registry.ToolRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one MCP server's tools in the {@link ToolRegistry} while the executor runs. It connects
 * (the first attempt during start-up, so a reachable server's tools are there when the executor is
 * up), lists the tools again on {@code notifications/tools/list_changed} and every {@code
 * refreshInterval}, and when the server cannot be reached (at start-up or later) removes its tools
 * and tries again with exponential backoff, while the executor serves its other tools. Its tools'
 * calls go to whichever connection is current. Connection work runs on the shared scheduler, one
 * step at a time per server.
 */
public final class McpServerLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(McpServerLink.class);

  private final McpServerConfig config;
  private final McpPolicy policy;
  private final ToolRegistry registry;
  private final ScheduledExecutorService scheduler;
  private final Function<Runnable, McpServerConnection> connector;
  private volatile McpServerConnection connection;
  private volatile String problem = "not connected yet";
  private Map<String, McpTool> tools = Map.of();
  private Duration nextRetry;
  private ScheduledFuture<?> pending;
  private boolean closed;

  /**
   * @param connector opens a connection to the server; its argument is to be run when the server
   *     says its tools changed
   */
  public McpServerLink(
      McpServerConfig config,
      McpPolicy policy,
      ToolRegistry registry,
      ScheduledExecutorService scheduler,
      Function<Runnable, McpServerConnection> connector) {
    this.config = config;
    this.policy = policy;
    this.registry = registry;
    this.scheduler = scheduler;
    this.connector = connector;
    this.nextRetry = policy.reconnectInitial();
  }

  /** The first connection attempt, on the calling thread; later ones on the scheduler. */
  public void start() {
    connect();
  }

  public McpServerConfig config() {
    return config;
  }

  /** Why the server's tools are not available now; empty while it is up. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    McpServerConnection opened = null;
    try {
      opened = connector.apply(this::refreshSoon);
      List<McpSchema.Tool> listed = opened.listTools();
      connection = opened;
      problem = null;
      nextRetry = policy.reconnectInitial();
      publish(listed);
      log.info(
          "MCP server {} at {} is up with tools {}",
          config.server(),
          config.url(),
          tools.values().stream().map(McpTool::name).sorted().toList());
      schedule(this::refresh, policy.refreshInterval());
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      problem = e.getMessage();
      log.warn("{}; its tools are not offered, next attempt in {}", problem, nextRetry);
      schedule(this::connect, nextRetry);
      Duration doubled = nextRetry.multipliedBy(2);
      nextRetry = doubled.compareTo(policy.reconnectMax()) > 0 ? policy.reconnectMax() : doubled;
    }
  }

  /** Lists the tools again; a server that does not answer is taken down and reconnected. */
  private synchronized void refresh() {
    McpServerConnection current = connection;
    if (closed || current == null) {
      return;
    }
    try {
      publish(current.listTools());
      schedule(this::refresh, policy.refreshInterval());
    } catch (RuntimeException e) {
      down(e);
    }
  }

  private void down(RuntimeException e) {
    problem = e.getMessage();
    connection.close();
    connection = null;
    tools = Map.of();
    registry.removeServer(config.server());
    nextRetry = policy.reconnectInitial();
    log.warn(
        "{}; its tools leave the catalogue until it is back, next attempt in {}",
        problem,
        nextRetry);
    schedule(this::connect, nextRetry);
  }

  /** Updates the registry if the listing differs; unchanged tools keep their instances. */
  private void publish(List<McpSchema.Tool> listed) {
    Map<String, McpTool> next = new HashMap<>();
    boolean changed = listed.size() != tools.size();
    List<McpTool> ordered = new ArrayList<>();
    for (McpSchema.Tool definition : listed) {
      McpTool known = tools.get(definition.name());
      McpTool tool =
          known != null && known.listed().equals(definition)
              ? known
              : new McpTool(definition, this);
      changed |= tool != known;
      next.put(definition.name(), tool);
      ordered.add(tool);
    }
    if (changed) {
      tools = next;
      registry.setServerTools(config.server(), ordered);
      log.info(
          "MCP server {} lists {}",
          config.server(),
          ordered.stream().map(McpTool::name).sorted().toList());
    }
  }

  /** A call failed below MCP: check the server now rather than at the next refresh. */
  void suspect() {
    refreshSoon();
  }

  /** Lists the tools again as soon as the scheduler can (not on the caller's thread). */
  private void refreshSoon() {
    try {
      scheduler.execute(this::refresh);
    } catch (RejectedExecutionException e) {
      // The executor is stopping: nothing left to refresh.
    }
  }

  McpSchema.CallToolResult call(McpSchema.CallToolRequest request) {
    McpServerConnection current = connection;
    if (current == null) {
      throw new IllegalStateException(
          "MCP server " + config.server() + " is not connected: " + problem);
    }
    return current.call(request);
  }

  private void schedule(Runnable step, Duration delay) {
    if (pending != null) {
      pending.cancel(false);
    }
    if (!closed) {
      try {
        pending = scheduler.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // The executor is stopping: no further attempts.
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pending != null) {
      pending.cancel(false);
    }
    McpServerConnection current = connection;
    connection = null;
    if (current != null) {
      current.close();
    }
  }
}
