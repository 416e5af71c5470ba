package dev.voicebus.tools.registry;

import dev.voicebus.tools.api.Tool;
import java.util.concurrent.Semaphore;

/**
 * A tool as the executor holds it: the tool, its compiled argument validator, where it came from,
 * and the semaphore that enforces its concurrency limit.
 */
public record RegisteredTool(
    Tool tool, ArgumentValidator validator, Source source, Semaphore permits) {

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

  public ToolDefinition definition() {
    return new ToolDefinition(tool.name(), tool.description(), tool.parametersSchema());
  }
}
