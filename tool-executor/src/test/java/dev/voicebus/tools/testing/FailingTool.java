package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/** Always throws: the executor must answer with an error and keep going. */
public final class FailingTool implements Tool {

  @Override
  public String name() {
    return "failing_test";
  }

  @Override
  public String description() {
    return "Always fails.";
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.noArguments();
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) {
    Executions.record(invocation.toolCallId());
    throw new IllegalStateException("database connection refused at 10.0.0.7:5432");
  }
}
