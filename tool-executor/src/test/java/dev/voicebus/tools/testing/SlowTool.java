package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;

/** Sleeps {@code sleep_ms} before answering: overruns short deadlines. */
public final class SlowTool implements Tool {

  @Override
  public String name() {
    return "slow_test";
  }

  @Override
  public String description() {
    return "Waits, then answers.";
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.parse(
        "{\"type\":\"object\",\"properties\":{\"sleep_ms\":{\"type\":\"integer\",\"minimum\":0}},"
            + "\"required\":[\"sleep_ms\"]}");
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
    Executions.record(invocation.toolCallId());
    Thread.sleep(invocation.arguments().get("sleep_ms").asLong());
    return ToolOutcome.ok("slept");
  }
}
