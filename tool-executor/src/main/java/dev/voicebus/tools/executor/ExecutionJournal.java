package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.tools.executor.DedupeStore.Phase;
import dev.voicebus.tools.executor.Outcomes.Finished;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's write-ahead record of tool executions, so that a tool that is not idempotent runs
 * at most once per toolCallId even when the transaction that should carry its result fails (abort,
 * fenced producer, crash, lost partition). Outside any transaction, it writes to {@code
 * tool.dedupe}, on the call's partition number, a {@code started} entry before such a tool runs
 * (the tool waits for the broker's acknowledgement) and a {@code finished} entry with its result. A
 * later owner of the partition restores them: a finished call is answered with what the tool
 * returned, a started one whose result was lost with an {@code outcome_unknown} error, and neither
 * runs again.
 *
 * <p>It also keeps, in memory, the result of every call this process started until a loop commits
 * it, so a call replayed after an aborted transaction or a loop restart in this process is answered
 * from its first execution (even one still running), whatever the tool. Thread-safe; it outlives
 * the loops a supervisor restarts.
 */
final class ExecutionJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExecutionJournal.class);
  private static final Duration KEEP_UNCOMMITTED = Duration.ofMinutes(10);

  private final Producer<byte[], byte[]> producer;
  private final String dedupeTopic;
  private final AvroSerde<ToolResult> serde = AvroSerde.of(ToolResult.class);
  private final Map<String, CompletableFuture<ToolResult>> inProcess = new ConcurrentHashMap<>();
  private final Map<String, Instant> finishedAt = new ConcurrentHashMap<>();
  private volatile Instant lastSweep = Instant.now();

  /**
   * @param producer an idempotent, non-transactional producer ({@code acks=all}) this journal owns
   * @param dedupeTopic the full name of tool.dedupe
   */
  ExecutionJournal(Producer<byte[], byte[]> producer, String dedupeTopic) {
    this.producer = producer;
    this.dedupeTopic = dedupeTopic;
  }

  /**
   * Registers a call this process is about to run; the returned log records its start and result.
   *
   * @param partition the call's tool.calls partition (its entries go to the same partition number)
   * @param offset the call's offset, recorded with each entry
   */
  ExecutionLog open(ToolCall call, int partition, long offset) {
    sweep();
    var result = new CompletableFuture<ToolResult>();
    inProcess.put(call.getToolCallId(), result);
    return new Entry(call, partition, offset, result);
  }

  /** The result of a call this process started and no loop has committed yet, if any. */
  Optional<CompletableFuture<ToolResult>> inProcess(String toolCallId) {
    return Optional.ofNullable(inProcess.get(toolCallId));
  }

  /** The call's result is committed: nothing more to remember in memory. */
  void committed(String toolCallId) {
    inProcess.remove(toolCallId);
    finishedAt.remove(toolCallId);
  }

  /** Forgets results no loop committed here for a while (their partition moved elsewhere). */
  private void sweep() {
    Instant now = Instant.now();
    if (now.isBefore(lastSweep.plusSeconds(60))) {
      return;
    }
    lastSweep = now;
    Instant oldest = now.minus(KEEP_UNCOMMITTED);
    finishedAt.forEach(
        (id, at) -> {
          if (at.isBefore(oldest)) {
            committed(id);
          }
        });
  }

  private ProducerRecord<byte[], byte[]> record(
      int partition, long offset, ToolResult result, Phase phase) {
    var headers = new RecordHeaders();
    headers.add(DedupeStore.SOURCE_OFFSET_HEADER, DedupeStore.offsetHeader(offset));
    headers.add(DedupeStore.PHASE_HEADER, phase.header());
    return new ProducerRecord<>(
        dedupeTopic,
        partition,
        result.getToolCallId().getBytes(StandardCharsets.UTF_8),
        serde.encode(result),
        headers);
  }

  /** Crash-like stop (failure tests): nothing more is written, nothing waited for. */
  void closeNow() {
    producer.close(Duration.ZERO);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** The journal entries of one execution. */
  private final class Entry implements ExecutionLog {
    private final ToolCall call;
    private final int partition;
    private final long offset;
    private final CompletableFuture<ToolResult> result;
    private boolean startRecorded;

    Entry(ToolCall call, int partition, long offset, CompletableFuture<ToolResult> result) {
      this.call = call;
      this.partition = partition;
      this.offset = offset;
      this.result = result;
    }

    @Override
    public CompletionStage<Void> starting(boolean idempotent) {
      if (idempotent) {
        return CompletableFuture.completedFuture(null); // may run again: nothing to record
      }
      ToolResult unknown = Finished.outcomeUnknown(call.getName()).toRecord(call, Instant.now());
      var acknowledged = new CompletableFuture<Void>();
      synchronized (this) {
        startRecorded = true;
        try {
          producer.send(
              record(partition, offset, unknown, Phase.STARTED),
              (metadata, error) -> {
                if (error == null) {
                  acknowledged.complete(null);
                } else {
                  acknowledged.completeExceptionally(error);
                }
              });
        } catch (RuntimeException e) {
          acknowledged.completeExceptionally(e); // closed or unusable producer
        }
      }
      return acknowledged;
    }

    @Override
    public void finished(ToolResult finished) {
      finishedAt.put(call.getToolCallId(), Instant.now());
      result.complete(finished);
      synchronized (this) {
        if (!startRecorded) {
          return;
        }
        // After the started entry on the same producer and partition, so it lands after it.
        try {
          producer.send(
              record(partition, offset, finished, Phase.FINISHED),
              (metadata, error) -> {
                if (error != null) {
                  log.warn(
                      "Could not record the result of tool call {} of call {}: {}; a later"
                          + " owner that needs it answers outcome_unknown",
                      call.getToolCallId(),
                      call.getCallId(),
                      error.toString());
                }
              });
        } catch (RuntimeException e) {
          log.warn(
              "Could not record the result of tool call {} of call {}: {}",
              call.getToolCallId(),
              call.getCallId(),
              e.toString());
        }
      }
    }
  }
}
