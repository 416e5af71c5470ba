package dev.voicebus.tools.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.config.ToolExecutorConfig.RetryPolicy;
import dev.voicebus.tools.executor.Outcomes.Finished;
import dev.voicebus.tools.metrics.ToolMetrics;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one ToolCall to a ToolResult, off the poll thread: looks the tool up, validates the
 * arguments, waits for a permit of the tool's concurrency limit, executes on the bounded pool with
 * retries for idempotent tools, and answers {@code TIMEOUT} at the deadline (interrupting the tool
 * and dropping its late answer). Never completes exceptionally.
 */
public final class ToolRunner {

  private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

  private final ToolRegistry registry;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final RetryPolicy retry;
  private final ToolMetrics metrics;

  public ToolRunner(
      ToolRegistry registry,
      ExecutorService pool,
      ScheduledExecutorService timers,
      RetryPolicy retry,
      ToolMetrics metrics) {
    this.registry = registry;
    this.pool = pool;
    this.timers = timers;
    this.retry = retry;
    this.metrics = metrics;
  }

  /** Starts {@code call}; the future completes with its result, at the latest at its deadline. */
  public CompletableFuture<ToolResult> run(ToolCall call) {
    Optional<RegisteredTool> found = registry.find(call.getName());
    if (found.isEmpty()) {
      var run = new Run(call, "unknown");
      String message = "I do not have a tool called " + Outcomes.spoken(call.getName()) + ".";
      run.finish(Finished.error("unknown_tool", message, 0));
      return run.result;
    }
    RegisteredTool tool = found.get();
    var run = new Run(call, tool.name());
    JsonNode arguments;
    try {
      arguments = parseArguments(call.getArgumentsJson());
    } catch (JsonProcessingException e) {
      run.finish(invalidArguments(tool, "the arguments are not valid JSON"));
      return run.result;
    }
    List<String> problems = tool.validator().problems(arguments);
    if (!problems.isEmpty()) {
      run.finish(invalidArguments(tool, String.join("; ", problems)));
    } else if (!Instant.now().isBefore(call.getDeadline())) {
      run.finish(Finished.timeout(tool.name(), 0));
    } else {
      start(tool, invocation(call, arguments), run);
    }
    return run.result;
  }

  private static Finished invalidArguments(RegisteredTool tool, String problem) {
    String message =
        "The arguments for " + Outcomes.spoken(tool.name()) + " are invalid: " + problem;
    return Finished.error("invalid_arguments", message, 0);
  }

  private static ToolInvocation invocation(ToolCall call, JsonNode arguments) {
    return new ToolInvocation(
        call.getCallId(),
        call.getToolCallId(),
        Optional.ofNullable(call.getTenantId()),
        arguments,
        call.getDeadline());
  }

  private void start(RegisteredTool tool, ToolInvocation invocation, Run run) {
    Future<?> task;
    try {
      task =
          pool.submit(
              CallMdc.wrap(
                  invocation.callId(),
                  invocation.tenantId().orElse(null),
                  () -> run.finish(executeWithPermit(tool, invocation))));
    } catch (RejectedExecutionException e) {
      String message = "The tool service is shutting down; please try again.";
      run.finish(Finished.error("unavailable", message, 0));
      return;
    }
    long delayMs = Math.max(0, invocation.remaining().toMillis());
    ScheduledFuture<?> timer =
        timers.schedule(
            CallMdc.wrap(
                invocation.callId(),
                invocation.tenantId().orElse(null),
                () -> {
                  if (run.finish(Finished.timeout(tool.name(), 1))) {
                    log.warn("Tool {} timed out for call {}", tool.name(), invocation.callId());
                    task.cancel(true);
                  }
                }),
            delayMs,
            TimeUnit.MILLISECONDS);
    run.result.whenComplete((r, e) -> timer.cancel(false));
  }

  private Finished executeWithPermit(RegisteredTool tool, ToolInvocation invocation) {
    try {
      long waitMs = Math.max(0, invocation.remaining().toMillis());
      if (!tool.permits().tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
        return Finished.timeout(tool.name(), 0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Finished.timeout(tool.name(), 0);
    }
    try {
      return executeWithRetries(tool, invocation);
    } finally {
      tool.permits().release();
    }
  }

  private Finished executeWithRetries(RegisteredTool tool, ToolInvocation invocation) {
    int attempt = 0;
    while (true) {
      attempt++;
      ToolOutcome outcome;
      try {
        outcome = tool.tool().execute(invocation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Finished.timeout(tool.name(), attempt);
      } catch (Exception e) {
        log.warn("Tool {} failed for call {}", tool.name(), invocation.callId(), e);
        outcome =
            ToolOutcome.retryableError(
                "tool_failed", "The " + Outcomes.spoken(tool.name()) + " tool ran into a problem.");
      }
      if (outcome == null) {
        outcome = ToolOutcome.error("tool_failed", "The tool returned nothing.");
      }
      if (outcome instanceof ToolOutcome.Ok ok) {
        return Finished.ok(ok.output(), attempt);
      }
      var error = (ToolOutcome.Error) outcome;
      if (!shouldRetry(tool, error, attempt, invocation)) {
        return Finished.error(error.code(), error.message(), attempt);
      }
      if (!sleep(retry.backoffAfter(attempt))) {
        return Finished.timeout(tool.name(), attempt);
      }
    }
  }

  private boolean shouldRetry(
      RegisteredTool tool, ToolOutcome.Error error, int attempt, ToolInvocation invocation) {
    return tool.tool().idempotent()
        && error.retryable()
        && attempt < retry.maxAttempts()
        && retry.backoffAfter(attempt).compareTo(invocation.remaining()) < 0;
  }

  private static boolean sleep(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One call in progress: the first of the tool's answer and the deadline timer wins. */
  private final class Run {
    private final CompletableFuture<ToolResult> result = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final ToolCall call;
    private final String metricTool;
    private final Instant startedAt = Instant.now();

    Run(ToolCall call, String metricTool) {
      this.call = call;
      this.metricTool = metricTool;
    }

    /** Publishes {@code finished} unless another outcome won; metrics count only the winner. */
    boolean finish(Finished finished) {
      if (!claimed.compareAndSet(false, true)) {
        return false;
      }
      ToolResult record = finished.toRecord(call, startedAt);
      metrics.recordResult(
          metricTool,
          finished.status(),
          finished.errorCode(),
          Duration.ofMillis(record.getDurationMs()));
      result.complete(record);
      return true;
    }
  }

  private static JsonNode parseArguments(String json) throws JsonProcessingException {
    if (json == null || json.isBlank()) {
      return Outcomes.JSON.createObjectNode();
    }
    JsonNode node = Outcomes.JSON.readTree(json);
    return node == null ? Outcomes.JSON.createObjectNode() : node;
  }
}
