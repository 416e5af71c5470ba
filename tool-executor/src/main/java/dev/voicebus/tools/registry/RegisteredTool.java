package dev.voicebus.tools.registry;

import dev.voicebus.tools.api.Tool;
import java.util.Optional;

/**
 * A tool as the executor holds it: the tool, its compiled argument validator, where it came from,
 * and the {@link ConcurrencyLimit} that bounds how many of its calls run at once.
 */
public record RegisteredTool(
    Tool tool, ArgumentValidator validator, Source source, ConcurrencyLimit permits) {

  /** How the tool was added. */
  public enum Source {
    JAVA,
    BUILTIN,
    WEBHOOK,
    MCP
  }

  public String name() {
    return tool.name();
  }

  /** The tenant that owns the tool, if one does. */
  public Optional<String> tenantId() {
    return tool instanceof ToolFacts facts ? facts.tenantId() : Optional.empty();
  }

  /** Whether a call of {@code tenantId} (empty: unknown) may run this tool. */
  public boolean availableTo(Optional<String> callTenant) {
    Optional<String> owner = tenantId();
    return owner.isEmpty() || owner.equals(callTenant);
  }

  public ToolDefinition definition() {
    return new ToolDefinition(tool.name(), tool.description(), tool.parametersSchema());
  }
}
