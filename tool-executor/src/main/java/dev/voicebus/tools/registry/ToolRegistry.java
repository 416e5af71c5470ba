package dev.voicebus.tools.registry;

import dev.voicebus.tools.api.Tool;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tool the executor can run, by name: Java tools found with {@link ServiceLoader}, the
 * built-ins, webhook tools from config and the tools listed by MCP servers. Two tools with one name
 * fail at start-up. {@link #definitions()} is what the session worker offers the model.
 */
public final class ToolRegistry {

  private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final Map<String, RegisteredTool> tools;

  private ToolRegistry(Map<String, RegisteredTool> tools) {
    this.tools = Map.copyOf(tools);
  }

  public static Builder builder(ToIntFunction<String> concurrencyLimit) {
    return new Builder(concurrencyLimit);
  }

  public Optional<RegisteredTool> find(String name) {
    return Optional.ofNullable(tools.get(name));
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

  /** Collects tools; fails on a duplicate or illegal name, or an invalid schema. */
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
      return new ToolRegistry(tools);
    }

    private static String describe(Tool tool, RegisteredTool.Source source) {
      return source + " " + tool.getClass().getName();
    }
  }
}
