package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Something finished for one consumed tool.calls record, handed from the tool pool to the poll
 * thread, which publishes it in the next transaction. {@code generation} ties it to one ownership
 * of the partition: completions from before a rebalance or an aborted transaction are dropped.
 */
sealed interface Completion {

  int partition();

  int generation();

  long offset();

  /**
   * A tool ran (or was refused: unknown tool, invalid arguments, timeout); publish its result,
   * naming the span that produced it ({@code traceparent}, empty when not traced).
   */
  record Executed(
      int partition,
      int generation,
      long offset,
      ToolCall call,
      ToolResult result,
      Optional<String> traceparent)
      implements Completion {}

  /**
   * A second copy of a finished call: publish the stored result again, run nothing; {@code
   * traceparent} is the copy's own trace header.
   */
  record Republish(
      int partition, int generation, long offset, ToolResult result, Optional<String> traceparent)
      implements Completion {}

  /** The same record replayed after a crash; its result was committed with it: nothing to send. */
  record AlreadyAnswered(int partition, int generation, long offset) implements Completion {}

  /** Bytes that are not a ToolCall: to the dead-letter topic. */
  record Undecodable(
      int partition,
      int generation,
      long offset,
      ConsumerRecord<byte[], byte[]> raw,
      Exception error)
      implements Completion {}
}
