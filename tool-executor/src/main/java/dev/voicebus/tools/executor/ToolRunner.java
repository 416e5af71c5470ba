package dev.voicebus.tools.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.crypto.SealedValueException;
import dev.voicebus.schemas.log.CallMdc;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.config.ToolExecutorConfig.RetryPolicy;
import dev.voicebus.tools.executor.Outcomes.Finished;
import dev.voicebus.tools.metrics.ToolMetrics;
import dev.voicebus.tools.registry.ConcurrencyLimit;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one ToolCall to a ToolResult, off the poll thread: looks the tool up, validates the
 * arguments, waits in the tool's {@link ConcurrencyLimit} queue (holding no thread), records the
 * start through the {@link ExecutionLog}, executes on the bounded pool with retries for idempotent
 * tools, and answers {@code TIMEOUT} at the deadline (interrupting the tool and dropping its late
 * answer). A result whose output is larger than the configured maximum becomes a {@code
 * result_too_large} error. Never completes exceptionally.
 */
public final class ToolRunner {

  /** The threads the runner uses: the pool that runs tools and the deadline timer. */
  public record Threads(ExecutorService tools, ScheduledExecutorService deadlines) {}

  private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

  private final Optional<FieldCipher> cipher;
  private final ToolRegistry registry;
  private final Threads threads;
  private final RetryPolicy retry;
  private final int maxResultBytes;
  private final ToolMetrics metrics;

  /**
   * @param maxResultBytes the largest {@code outputJson} (UTF-8 bytes) a result may carry
   */
  public ToolRunner(
      ToolRegistry registry,
      Threads threads,
      RetryPolicy retry,
      int maxResultBytes,
      ToolMetrics metrics) {
    this(registry, threads, retry, maxResultBytes, metrics, Optional.empty());
  }

  /**
   * With {@code cipher} opening the arguments the worker sealed for tools that need them in clear
   * (a card number for a payment tool); without one, sealed arguments are an error.
   */
  public ToolRunner(
      ToolRegistry registry,
      Threads threads,
      RetryPolicy retry,
      int maxResultBytes,
      ToolMetrics metrics,
      Optional<FieldCipher> cipher) {
    this.cipher = cipher;
    this.registry = registry;
    this.threads = threads;
    this.retry = retry;
    this.maxResultBytes = maxResultBytes;
    this.metrics = metrics;
  }

  /** Like {@link #run(ToolCall, ExecutionLog, ToolSpan)}, recording and tracing nothing. */
  public CompletableFuture<ToolResult> run(ToolCall call) {
    return run(call, ExecutionLog.NONE, ToolSpan.NONE);
  }

  /**
   * Starts {@code call}; the future completes with its result, at the latest at its deadline. The
   * {@code span} is current while the tool runs and ends with the result.
   */
  CompletableFuture<ToolResult> run(ToolCall call, ExecutionLog executions, ToolSpan span) {
    Optional<RegisteredTool> found = registry.find(call.getName());
    if (found.isEmpty()) {
      var run = new Run(call, "unknown", executions, span);
      String message = "I do not have a tool called " + Outcomes.spoken(call.getName()) + ".";
      run.finish(Finished.error("unknown_tool", message, 0));
      return run.result;
    }
    RegisteredTool tool = found.get();
    var run = new Run(call, tool.name(), executions, span);
    JsonNode arguments;
    try {
      arguments = parseArguments(opened(call.getArgumentsJson()));
    } catch (SealedValueException e) {
      run.finish(invalidArguments(tool, e.getMessage()));
      return run.result;
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

  /** The arguments with sealed values opened for the tool. */
  private String opened(String json) {
    if (!json.contains(FieldCipher.PREFIX)) {
      return json;
    }
    if (cipher.isEmpty()) {
      throw new SealedValueException(
          "an argument arrived sealed, and this tool executor has no tool-executor.field-key-file"
              + " to open it");
    }
    return cipher.get().openFields(json);
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
    long delayMs = Math.max(0, invocation.remaining().toMillis());
    ScheduledFuture<?> timer =
        threads
            .deadlines()
            .schedule(
                CallMdc.wrap(
                    invocation.callId(),
                    invocation.tenantId().orElse(null),
                    () -> {
                      if (run.finish(Finished.timeout(tool.name(), 1))) {
                        log.warn("Tool {} timed out for call {}", tool.name(), invocation.callId());
                        run.interruptExecution();
                      }
                    }),
                delayMs,
                TimeUnit.MILLISECONDS);
    run.result.whenComplete((r, e) -> timer.cancel(false));
    tool.permits()
        .acquire(
            new ConcurrencyLimit.Waiter() {
              @Override
              public boolean wanted() {
                return !run.result.isDone();
              }

              @Override
              public void granted() {
                recordStartThenExecute(tool, invocation, run);
              }
            });
  }

  /** Holding a permit: make the start durable, then run the tool on the pool. */
  private void recordStartThenExecute(RegisteredTool tool, ToolInvocation invocation, Run run) {
    if (run.result.isDone()) {
      tool.permits().release();
      return;
    }
    run.executions
        .starting(tool.tool().idempotent())
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                tool.permits().release();
                log.warn(
                    "Tool {} not started for call {}: its start could not be recorded ({})",
                    tool.name(),
                    invocation.callId(),
                    error.toString());
                run.finish(
                    Finished.error(
                        "unavailable",
                        "The "
                            + Outcomes.spoken(tool.name())
                            + " tool could not be started safely; please try again.",
                        0));
                return;
              }
              submit(tool, invocation, run);
            });
  }

  private void submit(RegisteredTool tool, ToolInvocation invocation, Run run) {
    try {
      threads
          .tools()
          .execute(
              CallMdc.wrap(
                  invocation.callId(),
                  invocation.tenantId().orElse(null),
                  run.span.wrap(
                      () -> {
                        try {
                          if (run.beginExecution()) {
                            run.finish(executeWithRetries(tool, invocation));
                          }
                        } finally {
                          run.endExecution();
                          tool.permits().release();
                        }
                      })));
    } catch (RejectedExecutionException e) {
      tool.permits().release();
      String message = "The tool service is shutting down; please try again.";
      run.finish(Finished.error("unavailable", message, 0));
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
        return Finished.ok(ok.output(), ok.action(), attempt);
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

  /** Whether {@code record}'s output is within the size limit. */
  private boolean fits(ToolResult record) {
    String output = record.getOutputJson();
    if (output.length() <= maxResultBytes / 3) {
      return true; // at most 3 UTF-8 bytes per char: cannot be over
    }
    int size = output.getBytes(StandardCharsets.UTF_8).length;
    if (size <= maxResultBytes) {
      return true;
    }
    log.warn(
        "Tool {} returned {} bytes for call {}, more than tool-executor.max-result-bytes={}",
        record.getName(),
        size,
        record.getCallId(),
        maxResultBytes);
    return false;
  }

  /** One call in progress: the first of the tool's answer and the deadline timer wins. */
  private final class Run {
    private final CompletableFuture<ToolResult> result = new CompletableFuture<>();
    private final ToolCall call;
    private final String metricTool;
    private final ExecutionLog executions;
    private final ToolSpan span;
    private final Instant startedAt = Instant.now();
    private boolean claimed;
    private Thread executing;

    Run(ToolCall call, String metricTool, ExecutionLog executions, ToolSpan span) {
      this.call = call;
      this.metricTool = metricTool;
      this.executions = executions;
      this.span = span;
    }

    /** Publishes {@code finished} unless another outcome won; metrics count only the winner. */
    boolean finish(Finished finished) {
      synchronized (this) {
        if (claimed) {
          return false;
        }
        claimed = true;
      }
      Finished effective = finished;
      ToolResult record = finished.toRecord(call, startedAt);
      if (!fits(record)) {
        effective = Finished.tooLarge(call.getName(), finished.attempts());
        record = effective.toRecord(call, startedAt);
      }
      metrics.recordResult(
          metricTool,
          effective.status(),
          effective.errorCode(),
          Duration.ofMillis(record.getDurationMs()));
      executions.finished(record);
      span.finish(record, effective.errorCode());
      result.complete(record);
      return true;
    }

    /** On the pool thread: false if the call was already answered (do not run the tool). */
    synchronized boolean beginExecution() {
      if (claimed) {
        return false;
      }
      executing = Thread.currentThread();
      return true;
    }

    synchronized void endExecution() {
      executing = null;
    }

    /** Interrupts the tool if it is still running (its deadline passed). */
    synchronized void interruptExecution() {
      if (executing != null) {
        executing.interrupt();
      }
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
