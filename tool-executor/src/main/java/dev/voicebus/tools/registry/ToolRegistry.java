package dev.voicebus.tools.registry;

import dev.voicebus.tools.api.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tool the executor can run, by name: Java tools found with {@link ServiceLoader}, the
 * built-ins and webhook tools from config (fixed at start-up: a duplicate or invalid one fails it),
 * and the tools MCP servers list, which change while the executor runs ({@link #setServerTools},
 * {@link #removeServer}). An MCP tool whose name is taken is left out with a warning: fixed tools
 * win, then the server whose name sorts first, so every instance decides the same way. Reads see
 * one consistent snapshot; listeners hear of every change. Thread-safe.
 */
public final class ToolRegistry {

  private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final Map<String, RegisteredTool> fixed;
  private final ToIntFunction<String> concurrencyLimit;
  private final Map<String, ConcurrencyLimit> limits = new ConcurrentHashMap<>();
  private final Map<String, List<? extends Tool>> serverTools = new TreeMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, RegisteredTool> tools;
  private Map<Tool, RegisteredTool> compiled = new IdentityHashMap<>();
  private Set<String> leftOut = Set.of();

  private ToolRegistry(Map<String, RegisteredTool> fixed, ToIntFunction<String> concurrencyLimit) {
    this.fixed = Map.copyOf(fixed);
    this.concurrencyLimit = concurrencyLimit;
    fixed.values().forEach(t -> limits.put(t.name(), t.permits()));
    this.tools = this.fixed;
  }

  public static Builder builder(ToIntFunction<String> concurrencyLimit) {
    return new Builder(concurrencyLimit);
  }

  public Optional<RegisteredTool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** The tool named {@code name} if a call of {@code callTenant} may run it. */
  public Optional<RegisteredTool> find(String name, Optional<String> callTenant) {
    return find(name).filter(t -> t.availableTo(callTenant));
  }

  public Collection<RegisteredTool> tools() {
    return tools.values();
  }

  /** Name, description and parameters schema of every tool, sorted by name. */
  public List<ToolDefinition> definitions() {
    return tools.values().stream()
        .map(RegisteredTool::definition)
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .toList();
  }

  /** Calls {@code listener} after every change of the tools (on the changing thread). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Replaces the tools of MCP server {@code server} (it came up, or listed its tools again). A tool
   * with an illegal name or an invalid schema is left out with a warning: a server cannot stop the
   * executor.
   */
  public void setServerTools(String server, List<? extends Tool> serverList) {
    synchronized (this) {
      serverTools.put(server, List.copyOf(serverList));
      rebuild();
    }
    listeners.forEach(Runnable::run);
  }

  /** Drops every tool of MCP server {@code server} (it went down, or stopped being followed). */
  public void removeServer(String server) {
    synchronized (this) {
      if (serverTools.remove(server) == null) {
        return;
      }
      rebuild();
    }
    listeners.forEach(Runnable::run);
  }

  private void rebuild() {
    Map<String, RegisteredTool> next = new LinkedHashMap<>(fixed);
    Map<Tool, RegisteredTool> nextCompiled = new IdentityHashMap<>();
    Set<String> skipped = new TreeSet<>();
    serverTools.forEach(
        (server, list) -> {
          for (Tool tool : list) {
            String problem = problem(tool, next);
            if (problem != null) {
              skipped.add("MCP server " + server + ": " + problem);
              continue;
            }
            RegisteredTool registered = compiled.get(tool);
            if (registered == null) {
              try {
                registered = register(tool, RegisteredTool.Source.MCP);
              } catch (IllegalArgumentException e) {
                skipped.add("MCP server " + server + ": " + e.getMessage());
                continue;
              }
            }
            nextCompiled.put(tool, registered);
            next.put(tool.name(), registered);
          }
        });
    for (String reason : skipped) {
      if (!leftOut.contains(reason)) {
        log.warn("{}; the tool is not offered", reason);
      }
    }
    leftOut = skipped;
    compiled = nextCompiled;
    tools = Map.copyOf(next);
  }

  private static String problem(Tool tool, Map<String, RegisteredTool> taken) {
    String name = tool.name();
    if (name == null || !LEGAL_NAME.matcher(name).matches()) {
      return "tool name '"
          + name
          + "' is not one the Realtime API accepts (1-64 of a-z A-Z 0-9 _ -); give the server a"
          + " tool-prefix or rename the tool";
    }
    RegisteredTool holder = taken.get(name);
    if (holder != null) {
      return "tool '"
          + name
          + "' has the name of a "
          + holder.source().name().toLowerCase(Locale.ROOT)
          + " tool that is already registered; set tools.mcp.<server>.tool-prefix to tell them"
          + " apart";
    }
    return null;
  }

  private RegisteredTool register(Tool tool, RegisteredTool.Source source) {
    var validator = new ArgumentValidator(tool.name(), tool.parametersSchema());
    var permits =
        limits.computeIfAbsent(
            tool.name(), name -> new ConcurrencyLimit(concurrencyLimit.applyAsInt(name)));
    return new RegisteredTool(tool, validator, source, permits);
  }

  /** Collects the fixed tools; fails on a duplicate or illegal name, or an invalid schema. */
  public static final class Builder {
    private final ToIntFunction<String> concurrencyLimit;
    private final Map<String, RegisteredTool> tools = new LinkedHashMap<>();

    private Builder(ToIntFunction<String> concurrencyLimit) {
      this.concurrencyLimit = concurrencyLimit;
    }

    public Builder add(Tool tool, RegisteredTool.Source source) {
      String name = tool.name();
      if (name == null || !LEGAL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Tool name '"
                + name
                + "' of "
                + tool.getClass().getName()
                + " is invalid: use 1-64 of"
                + " a-z A-Z 0-9 _ -");
      }
      RegisteredTool existing = tools.get(name);
      if (existing != null) {
        throw new IllegalArgumentException(
            "Two tools are named '"
                + name
                + "': "
                + describe(existing.tool(), existing.source())
                + " and "
                + describe(tool, source)
                + "; rename one");
      }
      var validator = new ArgumentValidator(name, tool.parametersSchema());
      var permits = new ConcurrencyLimit(concurrencyLimit.applyAsInt(name));
      tools.put(name, new RegisteredTool(tool, validator, source, permits));
      log.info("Registered {} tool {}", source.name().toLowerCase(Locale.ROOT), name);
      return this;
    }

    public Builder addAll(Collection<? extends Tool> more, RegisteredTool.Source source) {
      more.forEach(t -> add(t, source));
      return this;
    }

    /** Adds every {@link Tool} that {@code loader} finds in META-INF/services. */
    public Builder addServiceLoaded(ClassLoader loader) {
      for (Tool tool : ServiceLoader.load(Tool.class, loader)) {
        add(tool, RegisteredTool.Source.JAVA);
      }
      return this;
    }

    public ToolRegistry build() {
      return new ToolRegistry(new LinkedHashMap<>(tools), concurrencyLimit);
    }

    private static String describe(Tool tool, RegisteredTool.Source source) {
      return source + " " + tool.getClass().getName();
    }
  }

  /** The names of the tools now registered, sorted (for logs). */
  public List<String> names() {
    return new ArrayList<>(new TreeSet<>(tools.keySet()));
  }
}
