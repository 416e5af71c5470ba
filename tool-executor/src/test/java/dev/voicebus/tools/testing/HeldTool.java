package dev.voicebus.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds each call until the test {@link #release releases} its toolCallId (or the call is
 * interrupted or its deadline passes), then answers {@code {"result": "released <n>"}} where n
 * counts executions of that toolCallId. Not idempotent; see {@link Idempotent} for one that is.
 */
public class HeldTool implements Tool {

  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  /** Lets every execution of {@code toolCallId}, running or to come, answer. */
  public static void release(String toolCallId) {
    gate(toolCallId).countDown();
  }

  private static CountDownLatch gate(String toolCallId) {
    return GATES.computeIfAbsent(toolCallId, id -> new CountDownLatch(1));
  }

  @Override
  public String name() {
    return "held_test";
  }

  @Override
  public String description() {
    return "Answers when the test releases it.";
  }

  @Override
  public JsonNode parametersSchema() {
    return ToolSchemas.noArguments();
  }

  @Override
  public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
    int execution = Executions.record(invocation.toolCallId());
    gate(invocation.toolCallId())
        .await(Math.max(1, invocation.remaining().toMillis()), TimeUnit.MILLISECONDS);
    return ToolOutcome.ok("released " + execution);
  }

  /** The same, declared idempotent: the executor may run it again. */
  public static final class Idempotent extends HeldTool {
    @Override
    public String name() {
      return "held_idempotent_test";
    }

    @Override
    public boolean idempotent() {
      return true;
    }
  }
}
