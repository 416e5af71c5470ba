package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.tools.metrics.ToolMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The executor's consume-process-produce loop. The poll thread decodes ToolCalls, answers copies of
 * finished calls from the {@link DedupeStore}, and hands the rest to the {@link ToolRunner}; it
 * keeps polling while tools run (pausing partitions when too much is in flight). Finished calls are
 * published in one Kafka transaction per batch: the result to tool.results, the same result to
 * tool.dedupe (same partition number as the call), and the offsets of the contiguous finished
 * prefix of each partition. Only the poll thread touches the consumer, the producer and the state.
 */
public final class ToolCallLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ToolCallLoop.class);
  private static final Duration BUSY_POLL = Duration.ofMillis(5);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);

  private final LoopClients clients;
  private final LoopSettings settings;
  private final ToolRunner runner;
  private final ToolMetrics metrics;
  private final DedupeStore dedupe;
  private final DedupeRestorer restorer;
  private final ResultSender sender;
  private final AvroSerde<ToolCall> callSerde = AvroSerde.of(ToolCall.class);
  private final Map<Integer, PartitionState> partitions = new HashMap<>();
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean halted = new AtomicBoolean(false);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile boolean healthy;
  private int generations;

  public ToolCallLoop(
      LoopClients clients,
      LoopSettings settings,
      ToolRunner runner,
      ToolMetrics metrics,
      Duration dedupeRetention) {
    this.clients = clients;
    this.settings = settings;
    this.runner = runner;
    this.metrics = metrics;
    this.dedupe = new DedupeStore(dedupeRetention);
    this.restorer = new DedupeRestorer(clients.restoreConsumers(), settings.toolDedupeTopic());
    this.sender =
        new ResultSender(
            clients.producer(), settings.toolResultsTopic(), settings.toolDedupeTopic());
  }

  @Override
  public void run() {
    try {
      clients.producer().initTransactions();
      clients.consumer().subscribe(List.of(settings.toolCallsTopic()), new Rebalance());
      healthy = true;
      log.info("Consuming {}", settings.toolCallsTopic());
      while (running.get()) {
        boolean busy = inFlight() > 0 || !completions.isEmpty();
        clients.consumer().poll(busy ? BUSY_POLL : IDLE_POLL).forEach(this::accept);
        flush();
        applyBackpressure();
      }
      if (!halted.get()) {
        drain();
      }
    } catch (RuntimeException e) {
      log.error("Tool call loop stopped on a fatal error", e);
    } finally {
      healthy = false;
      closeClients();
      stopped.complete(null);
    }
  }

  /** Whether the loop is consuming (for {@code /healthz}). */
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
      call = callSerde.decode(raw.value());
    } catch (RuntimeException e) {
      completions.add(
          new Completion.Undecodable(raw.partition(), generation, raw.offset(), raw, e));
      return;
    }
    String id = call.getToolCallId();
    Optional<DedupeStore.Entry> stored = dedupe.find(raw.partition(), id);
    if (stored.isPresent()) {
      answerFromStore(raw, generation, stored.get());
    } else if (state.isRunning(id)) {
      log.info("Tool call {} of call {} is a copy of a running call", id, call.getCallId());
      metrics.recordDedupeHit(call.getName());
      state.addCopy(id, raw.offset());
    } else {
      state.startRunning(id);
      runner
          .run(call)
          .thenAccept(
              result ->
                  completions.add(
                      new Completion.Executed(
                          raw.partition(), generation, raw.offset(), call, result)));
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
    metrics.recordDedupeHit(entry.result().getName());
    completions.add(
        new Completion.Republish(raw.partition(), generation, raw.offset(), entry.result()));
  }

  /** Publishes every finished completion in one transaction with the offsets it frees. */
  private void flush() {
    if (halted.get()) {
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
      log.warn("Aborting the tool result transaction; the calls will be processed again", e);
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
      sender.sendResult(again.result());
    } else if (completion instanceof Completion.Undecodable bad) {
      clients.deadLetters().publish(bad.raw(), "decode", bad.error());
    }
    state.offsets().finished(completion.offset());
  }

  private void publishExecuted(
      Completion.Executed done, PartitionState state, List<Runnable> afterCommit) {
    ToolResult result = done.result();
    sender.sendResult(result);
    sender.sendDedupe(result, done.partition(), done.offset());
    for (long copy : state.finishRunning(result.getToolCallId())) {
      sender.sendResult(result);
      state.offsets().finished(copy);
    }
    afterCommit.add(
        () -> dedupe.put(done.partition(), new DedupeStore.Entry(result, done.offset())));
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

  /** After an aborted transaction: forget what is in progress and resume from the commits. */
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
      log.warn("Stopping with {} tool calls unfinished; they will run again elsewhere", inFlight());
    }
  }

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
  public void stop(Duration timeout) {
    running.set(false);
    awaitStopped(timeout);
  }

  /**
   * Abrupt stop, as in a crash: nothing more is published or committed and the clients close
   * without waiting. The next instance with the same id aborts any open transaction and processes
   * the uncommitted calls again.
   */
  public void halt(Duration timeout) {
    halted.set(true);
    running.set(false);
    awaitStopped(timeout);
  }

  private void awaitStopped(Duration timeout) {
    try {
      stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("The tool call loop did not stop within {}", timeout);
    }
  }

  /** Restores dedupe entries before a partition is processed; settles work before it goes. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      List<Integer> numbers = assigned.stream().map(TopicPartition::partition).toList();
      restorer.restore(numbers, dedupe);
      numbers.forEach(p -> partitions.put(p, new PartitionState(++generations)));
      log.info("Assigned tool.calls partitions {}", numbers);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (!halted.get()) {
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
              "Partition {} moved with {} tool calls running; their results are dropped",
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
