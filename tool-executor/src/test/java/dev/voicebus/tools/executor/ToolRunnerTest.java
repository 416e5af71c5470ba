package dev.voicebus.tools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.crypto.FieldKey;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.api.ToolInvocation;
import dev.voicebus.tools.api.ToolOutcome;
import dev.voicebus.tools.api.ToolSchemas;
import dev.voicebus.tools.builtin.BuiltinTools;
import dev.voicebus.tools.config.ToolExecutorConfig.RetryPolicy;
import dev.voicebus.tools.metrics.ToolMetrics;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolRegistry;
import dev.voicebus.tools.testing.ExecutorHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner without Kafka: lookup, validation, deadline, retries and concurrency limits. */
class ToolRunnerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final FlakyTool flaky = new FlakyTool(true);
  private final FlakyTool unsafe = new FlakyTool(false);
  private final ExclusiveTool exclusive = new ExclusiveTool();
  private final HeldTool held = new HeldTool();
  private final ToolRunner runner =
      new ToolRunner(
          ToolRegistry.builder(name -> name.equals("exclusive") || name.equals("held") ? 1 : 8)
              .addAll(BuiltinTools.all(Optional.empty()), RegisteredTool.Source.BUILTIN)
              .add(flaky, RegisteredTool.Source.JAVA)
              .add(unsafe, RegisteredTool.Source.JAVA)
              .add(exclusive, RegisteredTool.Source.JAVA)
              .add(held, RegisteredTool.Source.JAVA)
              .add(new SleepyTool(), RegisteredTool.Source.JAVA)
              .add(new BigTool(), RegisteredTool.Source.JAVA)
              .build(),
          new ToolRunner.Threads(pool, timers),
          new RetryPolicy(3, Duration.ofMillis(1)),
          2048,
          new ToolMetrics(meters));

  @AfterEach
  void stopPools() {
    held.release.countDown();
    pool.shutdownNow();
    timers.shutdownNow();
  }

  private ToolResult run(String tool, String arguments) throws Exception {
    return run(ExecutorHarness.call(tool, arguments));
  }

  private ToolResult run(ToolCall call) throws Exception {
    return runner.run(call).get(10, TimeUnit.SECONDS);
  }

  private static JsonNode output(ToolResult result) throws Exception {
    return JSON.readTree(result.getOutputJson());
  }

  @Test
  void sealedArgumentsAreOpenedForTheToolAndRefusedWithoutTheKey() throws Exception {
    var cipher = FieldCipher.of(FieldKey.of("k1", new byte[32]));
    String sealed = cipher.sealFields("{\"order_id\":\"A1001\"}", List.of("/order_id"));
    assertThat(sealed).doesNotContain("A1001").contains(FieldCipher.PREFIX);
    var keyed =
        new ToolRunner(
            ToolRegistry.builder(name -> 8)
                .addAll(BuiltinTools.all(Optional.empty()), RegisteredTool.Source.BUILTIN)
                .build(),
            new ToolRunner.Threads(pool, timers),
            new RetryPolicy(3, Duration.ofMillis(1)),
            2048,
            new ToolMetrics(meters),
            Optional.of(cipher));

    ToolResult opened =
        keyed.run(ExecutorHarness.call("lookup_order", sealed)).get(10, TimeUnit.SECONDS);
    assertThat(opened.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(output(opened).get("status").asText()).isEqualTo("shipped");

    ToolResult refused = run("lookup_order", sealed);
    assertThat(refused.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(refused).get("message").asText()).contains("tool-executor.field-key-file");

    String value = JSON.readTree(sealed).get("order_id").asText();
    int flip = value.length() - 6;
    String forged =
        value.substring(0, flip)
            + (value.charAt(flip) == 'A' ? 'B' : 'A')
            + value.substring(flip + 1);
    String tampered = JSON.createObjectNode().put("order_id", forged).toString();
    ToolResult broken =
        keyed.run(ExecutorHarness.call("lookup_order", tampered)).get(10, TimeUnit.SECONDS);
    assertThat(broken.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(broken).get("error").asText()).isEqualTo("invalid_arguments");
    assertThat(output(broken).get("message").asText()).doesNotContain("A1001");
  }

  @Test
  void runsAValidCall() throws Exception {
    ToolResult result = run("lookup_order", "{\"order_id\":\"A1001\"}");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(output(result).get("status").asText()).isEqualTo("shipped");
    assertThat(
            meters.counter("voicebus.tool.calls", "tool", "lookup_order", "status", "ok").count())
        .isEqualTo(1);
  }

  @Test
  void unknownToolIsAnError() throws Exception {
    ToolResult result = run("launch_rocket", "{}");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("unknown_tool");
    assertThat(output(result).get("message").asText())
        .isEqualTo("I do not have a tool called launch rocket.");
  }

  @Test
  void invalidArgumentsNameTheWrongArgument() throws Exception {
    ToolResult result = run("lookup_order", "{\"order_id\": 42}");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("invalid_arguments");
    assertThat(output(result).get("message").asText()).contains("order_id").contains("string");
  }

  @Test
  void missingRequiredArgumentIsNamed() throws Exception {
    ToolResult result = run("transfer_call", "{}");
    assertThat(output(result).get("message").asText()).contains("destination");
  }

  @Test
  void argumentsThatAreNotJsonAreAnError() throws Exception {
    ToolResult result = run("lookup_order", "{order_id: A1001");
    assertThat(output(result).get("error").asText()).isEqualTo("invalid_arguments");
    assertThat(output(result).get("message").asText()).contains("not valid JSON");
  }

  @Test
  void aToolStillRunningAtTheDeadlineTimesOut() throws Exception {
    ToolCall call = ExecutorHarness.call("c1", "sleepy", "{}", Instant.now().plusMillis(200));
    ToolResult result = run(call);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.TIMEOUT);
    assertThat(output(result).get("message").asText())
        .isEqualTo("The sleepy tool did not answer in time.");
    assertThat(meters.counter("voicebus.tool.timeouts", "tool", "sleepy").count()).isEqualTo(1);
  }

  @Test
  void anIdempotentToolIsRetriedUntilItSucceeds() throws Exception {
    ToolResult result = run("flaky_idempotent", "{}");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(result.getAttempts()).isEqualTo(3);
    assertThat(flaky.attempts.get()).isEqualTo(3);
  }

  @Test
  void aToolThatIsNotIdempotentIsNotRetried() throws Exception {
    ToolResult result = run("flaky_unsafe", "{}");
    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("tool_failed");
    assertThat(output(result).get("message").asText()).doesNotContain("boom");
    assertThat(unsafe.attempts.get()).isEqualTo(1);
  }

  @Test
  void thePerToolConcurrencyLimitHolds() throws Exception {
    List<ToolCall> calls =
        IntStream.range(0, 4).mapToObj(i -> ExecutorHarness.call("exclusive", "{}")).toList();
    var futures = calls.stream().map(runner::run).toList();
    for (var future : futures) {
      assertThat(future.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(ToolStatus.OK);
    }
    assertThat(exclusive.maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void aSaturatedSlowToolHoldsNoPoolThreadsWhileItsCallsWaitSoAFastToolRunsAtOnce()
      throws Exception {
    // Pool of 4, held tool limited to 1: one call runs, five wait for its permit. Waiting on a
    // pool thread (the old semaphore) would take all four threads and stall every other tool.
    var waiting =
        IntStream.range(0, 6)
            .mapToObj(i -> runner.run(ExecutorHarness.call("held", "{}")))
            .toList();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.started.get() == 1);

    ToolResult fast = run("lookup_order", "{\"order_id\":\"A1001\"}");

    assertThat(fast.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(waiting).noneMatch(java.util.concurrent.Future::isDone);
    assertThat(held.started.get()).isEqualTo(1);
    held.release.countDown();
    for (var call : waiting) {
      assertThat(call.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(ToolStatus.OK);
    }
    assertThat(held.started.get()).isEqualTo(6);
  }

  @Test
  void aCallStillWaitingForAPermitAtItsDeadlineTimesOutAndNeverRuns() throws Exception {
    var running = runner.run(ExecutorHarness.call("held", "{}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.started.get() == 1);
    ToolCall late = ExecutorHarness.call("c2", "held", "{}", Instant.now().plusMillis(200));

    ToolResult result = run(late);

    assertThat(result.getStatus()).isEqualTo(ToolStatus.TIMEOUT);
    held.release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(ToolStatus.OK);
    // A call queued after the late one has run, so the late one's turn has passed.
    assertThat(run(ExecutorHarness.call("held", "{}")).getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(held.ids).hasSize(2).doesNotContain(late.getToolCallId());
  }

  @Test
  void anOutputOverTheSizeLimitBecomesAnErrorTheModelCanSpeakAbout() throws Exception {
    ToolResult result = run("big", "{}");

    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("result_too_large");
    assertThat(output(result).get("message").asText())
        .isEqualTo("The big tool returned more information than I can use.");
    assertThat(
            meters
                .counter("voicebus.tool.errors", "tool", "big", "code", "result_too_large")
                .count())
        .isEqualTo(1);
  }

  @Test
  void aNonIdempotentToolRunsOnlyAfterItsStartIsRecordedAndReportsItsResult() throws Exception {
    var recorded = new CompletableFuture<Void>();
    var log = new RecordingLog(recorded);
    var call = ExecutorHarness.call("held", "{}");
    held.release.countDown();

    var pending = runner.run(call, log, ToolSpan.NONE);
    await().atMost(Duration.ofSeconds(10)).until(() -> log.startingIdempotent != null);
    assertThat(log.startingIdempotent).isFalse();
    assertThat(held.ids).doesNotContain(call.getToolCallId());
    recorded.complete(null);

    ToolResult result = pending.get(10, TimeUnit.SECONDS);
    assertThat(result.getStatus()).isEqualTo(ToolStatus.OK);
    assertThat(held.ids).containsExactly(call.getToolCallId());
    assertThat(log.finished).containsExactly(result);
  }

  @Test
  void aToolWhoseStartCannotBeRecordedDoesNotRun() throws Exception {
    var log = new RecordingLog(CompletableFuture.failedFuture(new IllegalStateException("down")));
    var call = ExecutorHarness.call("held", "{}");
    held.release.countDown();

    ToolResult result = runner.run(call, log, ToolSpan.NONE).get(10, TimeUnit.SECONDS);

    assertThat(result.getStatus()).isEqualTo(ToolStatus.ERROR);
    assertThat(output(result).get("error").asText()).isEqualTo("unavailable");
    assertThat(held.ids).isEmpty();
    assertThat(log.finished).containsExactly(result);
    // The permit was given back: the next call runs.
    assertThat(run(ExecutorHarness.call("held", "{}")).getStatus()).isEqualTo(ToolStatus.OK);
  }

  /** An ExecutionLog that completes the start with {@code recorded} and keeps the result. */
  private static final class RecordingLog implements ExecutionLog {
    private final CompletionStage<Void> recorded;
    volatile Boolean startingIdempotent;
    final List<ToolResult> finished = new CopyOnWriteArrayList<>();

    RecordingLog(CompletionStage<Void> recorded) {
      this.recorded = recorded;
    }

    @Override
    public CompletionStage<Void> starting(boolean idempotent) {
      startingIdempotent = idempotent;
      return recorded;
    }

    @Override
    public void finished(ToolResult result) {
      finished.add(result);
    }
  }

  /** Not idempotent; blocks every call until {@code release}, recording each toolCallId. */
  private static final class HeldTool implements Tool {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "held";
    }

    @Override
    public String description() {
      return "Waits to be released.";
    }

    @Override
    public JsonNode parametersSchema() {
      return ToolSchemas.noArguments();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
      ids.add(invocation.toolCallId());
      started.incrementAndGet();
      release.await();
      return ToolOutcome.ok("released");
    }
  }

  /** Answers 3000 characters, over the runner's 2048-byte limit. */
  private static final class BigTool implements Tool {
    @Override
    public String name() {
      return "big";
    }

    @Override
    public String description() {
      return "Answers too much.";
    }

    @Override
    public JsonNode parametersSchema() {
      return ToolSchemas.noArguments();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation) {
      return ToolOutcome.ok("x".repeat(3000));
    }
  }

  /** Throws twice, then succeeds. */
  private static final class FlakyTool implements Tool {
    final AtomicInteger attempts = new AtomicInteger();
    private final boolean idempotent;

    FlakyTool(boolean idempotent) {
      this.idempotent = idempotent;
    }

    @Override
    public String name() {
      return idempotent ? "flaky_idempotent" : "flaky_unsafe";
    }

    @Override
    public String description() {
      return "Fails twice.";
    }

    @Override
    public JsonNode parametersSchema() {
      return ToolSchemas.noArguments();
    }

    @Override
    public boolean idempotent() {
      return idempotent;
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation) {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("boom");
      }
      return ToolOutcome.ok("third time lucky");
    }
  }

  /** Records how many of its calls overlap. */
  private static final class ExclusiveTool implements Tool {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();

    @Override
    public String name() {
      return "exclusive";
    }

    @Override
    public String description() {
      return "One at a time.";
    }

    @Override
    public JsonNode parametersSchema() {
      return ToolSchemas.noArguments();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
      maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
      Thread.sleep(30);
      running.decrementAndGet();
      return ToolOutcome.ok("done");
    }
  }

  /** Sleeps until interrupted. */
  private static final class SleepyTool implements Tool {
    @Override
    public String name() {
      return "sleepy";
    }

    @Override
    public String description() {
      return "Never answers.";
    }

    @Override
    public JsonNode parametersSchema() {
      return ToolSchemas.noArguments();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation) throws InterruptedException {
      Thread.sleep(60_000);
      return ToolOutcome.ok("woke up");
    }
  }
}
