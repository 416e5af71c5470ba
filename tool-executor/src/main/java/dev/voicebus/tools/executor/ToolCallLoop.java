package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.observability.trace.TraceHeaders;
import dev.voicebus.schemas.dlq.RecordDecoder;
import dev.voicebus.schemas.supervision.SupervisedLoop;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.executor.DedupeStore.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's consume-process-produce loop. The poll thread decodes ToolCalls (dead-lettering
 * records that break the contract), answers copies of committed calls from the {@link DedupeStore},
 * answers calls a previous execution already started (in this process, from the {@link
 * ExecutionJournal}; on an earlier owner, from its journal entries) without running them again, and
 * hands the rest to the {@link ToolRunner}; it keeps polling while tools run (pausing partitions
 * when too much is in flight). Finished calls are published in one Kafka transaction per batch: the
 * result to tool.results, the same result to tool.dedupe (same partition number as the call), and
 * the offsets of the contiguous finished prefix of each partition. Only the poll thread touches the
 * consumer, the producer and the state. A {@link dev.voicebus.schemas.supervision.LoopSupervisor}
 * replaces a loop that fails; the journal and the runner outlive it.
 */
public final class ToolCallLoop implements SupervisedLoop {

  private static final Logger log = LoggerFactory.getLogger(ToolCallLoop.class);
  private static final Duration BUSY_POLL = Duration.ofMillis(5);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);

  private final LoopClients clients;
  private final LoopSettings settings;
  private final LoopServices services;
  private final DedupeStore dedupe;
  private final ResultSender sender;
  private final RecordDecoder<String, ToolCall> decoder = new RecordDecoder<>(Topics.TOOL_CALLS);
  private final Map<Integer, PartitionState> partitions = new HashMap<>();
  private final BlockingDeque<Completion> completions = new LinkedBlockingDeque<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean halted = new AtomicBoolean(false);
  private final AtomicBoolean failed = new AtomicBoolean(false);
  private volatile boolean healthy;
  private int generations;

  ToolCallLoop(LoopClients clients, LoopSettings settings, LoopServices services) {
    this.clients = clients;
    this.settings = settings;
    this.services = services;
    this.dedupe = new DedupeStore(settings.dedupeRetention());
    this.sender =
        new ResultSender(
            clients.producer(), settings.toolResultsTopic(), settings.toolDedupeTopic());
  }

  /**
   * Consumes until {@link #stop()}; throws what stopped it otherwise (a fenced producer, a broker
   * error outside a transaction, an error in a rebalance), after closing its clients.
   */
  @Override
  public void run() {
    try {
      if (!running.get()) {
        return;
      }
      clients.producer().initTransactions();
      clients.consumer().subscribe(List.of(settings.toolCallsTopic()), new Rebalance());
      log.info("Consuming {}", settings.toolCallsTopic());
      while (running.get()) {
        boolean busy = inFlight() > 0 || !completions.isEmpty();
        clients.consumer().poll(busy ? BUSY_POLL : IDLE_POLL).forEach(this::accept);
        healthy = true;
        flush();
        applyBackpressure();
      }
      if (!halted.get()) {
        drain();
      }
    } catch (RuntimeException | Error e) {
      failed.set(true); // the clients are in an unknown state: publish nothing more with them
      throw e;
    } finally {
      healthy = false;
      closeClients();
    }
  }

  /** Whether the loop is consuming: a poll returned (for {@code /healthz}). */
  @Override
  public boolean healthy() {
    return healthy;
  }

  private void accept(ConsumerRecord<byte[], byte[]> raw) {
    PartitionState state = partitions.get(raw.partition());
    if (state == null) {
      return;
    }
    state.offsets().started(raw.offset());
    int generation = state.generation();
    ToolCall call;
    try {
      call = decoder.value(raw);
    } catch (RuntimeException e) {
      completions.add(
          new Completion.Undecodable(raw.partition(), generation, raw.offset(), raw, e));
      return;
    }
    String id = call.getToolCallId();
    Optional<DedupeStore.Entry> stored = dedupe.find(raw.partition(), id);
    if (stored.isPresent() && stored.get().phase() == Phase.COMMITTED) {
      answerFromStore(raw, generation, stored.get());
    } else if (state.isRunning(id)) {
      log.info("Tool call {} of call {} is a copy of a running call", id, call.getCallId());
      services.metrics().recordDedupeHit(call.getName());
      state.addCopy(id, raw.offset());
    } else {
      state.startRunning(id);
      ToolSpan span = ToolSpan.start(services.tracing(), call, raw.headers());
      startOrRecover(call, raw, stored, span)
          .thenAccept(
              result ->
                  completions.add(
                      new Completion.Executed(
                          raw.partition(),
                          generation,
                          raw.offset(),
                          call,
                          result,
                          span.traceparent())));
    }
  }

  /**
   * The result of a call that has none committed: from an execution this process already started (a
   * replay after an aborted transaction or a loop restart), from what an earlier owner recorded, or
   * from running it now. A call whose tool already started is never run again.
   */
  private CompletableFuture<ToolResult> startOrRecover(
      ToolCall call,
      ConsumerRecord<byte[], byte[]> raw,
      Optional<DedupeStore.Entry> stored,
      ToolSpan span) {
    String id = call.getToolCallId();
    Optional<CompletableFuture<ToolResult>> earlier = services.journal().inProcess(id);
    if (earlier.isPresent()) {
      log.info(
          "Tool call {} of call {} was started here before; answering from that execution",
          id,
          call.getCallId());
      services.metrics().recordDedupeHit(call.getName());
      return earlier.get().whenComplete((result, error) -> finish(span, result));
    }
    if (stored.isPresent()) {
      DedupeStore.Entry entry = stored.get();
      services.metrics().recordDedupeHit(call.getName());
      if (entry.phase() == Phase.FINISHED) {
        log.info(
            "Tool call {} of call {} ran on an earlier owner; publishing the result it recorded",
            id,
            call.getCallId());
      } else {
        log.warn(
            "Tool call {} of call {} was started on an earlier owner and its result was lost;"
                + " answering outcome_unknown without running it again",
            id,
            call.getCallId());
        services
            .metrics()
            .recordResult(call.getName(), ToolStatus.ERROR, "outcome_unknown", Duration.ZERO);
      }
      finish(span, entry.result());
      return CompletableFuture.completedFuture(entry.result());
    }
    return services
        .runner()
        .run(call, services.journal().open(call, raw.partition(), raw.offset()), span);
  }

  /** Ends the span of a call answered from an earlier execution. */
  private static void finish(ToolSpan span, ToolResult result) {
    if (result != null) {
      span.finish(result, null);
    }
  }

  private void answerFromStore(
      ConsumerRecord<byte[], byte[]> raw, int generation, DedupeStore.Entry entry) {
    if (entry.sourceOffset() == raw.offset()) {
      // Replayed after a crash: its result was committed together with this record's processing.
      completions.add(new Completion.AlreadyAnswered(raw.partition(), generation, raw.offset()));
      return;
    }
    log.info(
        "Tool call {} of call {} was already run; re-publishing its result",
        entry.result().getToolCallId(),
        entry.result().getCallId());
    services.metrics().recordDedupeHit(entry.result().getName());
    completions.add(
        new Completion.Republish(
            raw.partition(),
            generation,
            raw.offset(),
            entry.result(),
            TraceHeaders.traceparent(raw.headers())));
  }

  /** Publishes every finished completion in one transaction with the offsets it frees. */
  private void flush() {
    if (halted.get() || failed.get()) {
      return;
    }
    List<Completion> batch = new ArrayList<>();
    completions.drainTo(batch);
    batch.removeIf(this::isStale);
    if (batch.isEmpty()) {
      return;
    }
    List<Runnable> afterCommit = new ArrayList<>();
    try {
      clients.producer().beginTransaction();
      batch.forEach(c -> publish(c, afterCommit));
      Map<TopicPartition, OffsetAndMetadata> offsets = committableOffsets(afterCommit);
      if (!offsets.isEmpty()) {
        clients.producer().sendOffsetsToTransaction(offsets, clients.consumer().groupMetadata());
      }
      clients.producer().commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn(
          "Aborting the tool result transaction; the calls are answered again from their first"
              + " execution",
          e);
      clients.producer().abortTransaction();
      rewind();
      return;
    }
    afterCommit.forEach(Runnable::run);
  }

  private boolean isStale(Completion completion) {
    PartitionState state = partitions.get(completion.partition());
    return state == null || state.generation() != completion.generation();
  }

  private void publish(Completion completion, List<Runnable> afterCommit) {
    PartitionState state = partitions.get(completion.partition());
    if (completion instanceof Completion.Executed done) {
      publishExecuted(done, state, afterCommit);
    } else if (completion instanceof Completion.Republish again) {
      sender.sendResult(again.result(), again.traceparent());
    } else if (completion instanceof Completion.Undecodable bad) {
      clients.deadLetters().publish(bad.raw(), "decode", bad.error());
    }
    state.offsets().finished(completion.offset());
  }

  private void publishExecuted(
      Completion.Executed done, PartitionState state, List<Runnable> afterCommit) {
    ToolResult result = done.result();
    sender.sendResult(result, done.traceparent());
    sender.sendDedupe(result, done.partition(), done.offset());
    for (long copy : state.finishRunning(result.getToolCallId())) {
      sender.sendResult(result, done.traceparent());
      state.offsets().finished(copy);
    }
    afterCommit.add(
        () -> {
          dedupe.put(
              done.partition(), new DedupeStore.Entry(result, done.offset(), Phase.COMMITTED));
          services.journal().committed(result.getToolCallId());
        });
  }

  private Map<TopicPartition, OffsetAndMetadata> committableOffsets(List<Runnable> afterCommit) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(
        (partition, state) ->
            state
                .offsets()
                .committable()
                .ifPresent(
                    next -> {
                      offsets.put(
                          new TopicPartition(settings.toolCallsTopic(), partition),
                          new OffsetAndMetadata(next));
                      afterCommit.add(() -> state.offsets().committed(next));
                    }));
    return offsets;
  }

  /**
   * After an aborted transaction: forget what is in progress and resume from the commits. The calls
   * are consumed again; those already started are answered from the journal, not re-run.
   */
  private void rewind() {
    List<TopicPartition> owned =
        partitions.keySet().stream()
            .map(p -> new TopicPartition(settings.toolCallsTopic(), p))
            .toList();
    Map<TopicPartition, OffsetAndMetadata> committed =
        clients.consumer().committed(new HashSet<>(owned));
    for (TopicPartition tp : owned) {
      partitions.put(tp.partition(), new PartitionState(++generations));
      OffsetAndMetadata position = committed.get(tp);
      if (position == null) {
        clients.consumer().seekToBeginning(List.of(tp));
      } else {
        clients.consumer().seek(tp, position.offset());
      }
    }
  }

  private int inFlight() {
    return partitions.values().stream().mapToInt(PartitionState::runningCount).sum();
  }

  private int inFlight(Set<Integer> among) {
    return partitions.entrySet().stream()
        .filter(e -> among.contains(e.getKey()))
        .mapToInt(e -> e.getValue().runningCount())
        .sum();
  }

  private void applyBackpressure() {
    var consumer = clients.consumer();
    if (inFlight() >= settings.maxInFlight()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  /** Graceful stop: take no new calls, publish what finishes within the grace period. */
  private void drain() {
    clients.consumer().pause(clients.consumer().assignment());
    long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
    while (inFlight() > 0 && System.nanoTime() < deadline) {
      clients.consumer().poll(BUSY_POLL);
      flush();
    }
    flush();
    if (inFlight() > 0) {
      log.warn(
          "Stopping with {} tool calls unfinished; their next owner answers them from what they"
              + " record",
          inFlight());
    }
  }

  /** Waits up to {@code timeout} for a completion to arrive, leaving it queued. */
  private void awaitCompletion(Duration timeout) {
    try {
      Completion next = completions.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next != null) {
        completions.putFirst(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A halt closes at once, as a crash would; otherwise (also after a failure) the consumer leaves
   * the group, so the partitions move (or come back to the replacement loop) without waiting for
   * the session timeout.
   */
  private void closeClients() {
    Duration timeout = halted.get() ? Duration.ZERO : Duration.ofSeconds(10);
    try {
      clients.consumer().close(CloseOptions.timeout(timeout));
    } catch (RuntimeException e) {
      log.warn("Closing the tool.calls consumer failed: {}", e.toString());
    }
    try {
      clients.producer().close(timeout);
    } catch (RuntimeException e) {
      log.warn("Closing the tool result producer failed: {}", e.toString());
    }
  }

  /** Graceful stop: waits for running tools (up to the grace period), then leaves the group. */
  @Override
  public void stop() {
    running.set(false);
  }

  /**
   * Abrupt stop, as in a crash: nothing more is published or committed and the clients close
   * without waiting. The next owner aborts any open transaction and answers the uncommitted calls
   * from what the journal recorded.
   */
  public void halt() {
    halted.set(true);
    running.set(false);
  }

  /** Restores dedupe entries before a partition is processed; settles work before it goes. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      List<Integer> numbers = assigned.stream().map(TopicPartition::partition).toList();
      services.restorer().restore(numbers, dedupe);
      numbers.forEach(p -> partitions.put(p, new PartitionState(++generations)));
      log.info("Assigned tool.calls partitions {}", numbers);
    }

    /**
     * Before a partition moves, its running calls are given until the grace period (they end by
     * their deadlines at the latest) to finish and be committed here, so the next owner need not
     * answer them as outcome unknown.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (!halted.get() && !failed.get()) {
        Set<Integer> numbers = new HashSet<>();
        revoked.forEach(tp -> numbers.add(tp.partition()));
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (inFlight(numbers) > 0 && System.nanoTime() < deadline) {
          awaitCompletion(BUSY_POLL.multipliedBy(10));
          flush();
        }
        flush();
      }
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }

    private void forget(Collection<TopicPartition> gone) {
      for (TopicPartition tp : gone) {
        PartitionState state = partitions.remove(tp.partition());
        dedupe.forget(tp.partition());
        if (state != null && state.runningCount() > 0) {
          log.info(
              "Partition {} moved with {} tool calls running; their next owner answers them from"
                  + " what they record",
              tp.partition(),
              state.runningCount());
        }
      }
      if (!gone.isEmpty()) {
        log.info(
            "Released tool.calls partitions {}",
            gone.stream().map(TopicPartition::partition).toList());
      }
    }
  }
}
