package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks the first execution of each toolCallId whose {@code hold} argument is true until it is
 * interrupted (an executor crash) or the deadline; every later execution answers at once.
 */
public final class GateTool implements Tool {

  private static final CountDownLatch NEVER = new CountDownLatch(1);

  @Override
  public String name() {
    return "gate_test";
  }

  @Override
  public String description() {
    return "Holds the first call until the executor stops.";
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.parse(
        "{\"type\":\"object\",\"properties\":{\"hold\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"hold\"]}");
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
    int execution = Executions.record(invocation.toolCallId());
    if (execution == 1 && invocation.arguments().get("hold").asBoolean()) {
      NEVER.await(Math.max(1, invocation.remaining().toMillis()), TimeUnit.MILLISECONDS);
    }
    return ToolOutcome.ok("execution " + execution);
  }
}
