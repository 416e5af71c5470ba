package dev.voicebus.tools.executor;

import dev.voicebus.avro.ToolResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the {@link ToolRunner} reports around one call, so that a tool that is not idempotent never
 * runs twice for one toolCallId: {@link #starting} before the tool's code runs (the runner waits
 * until the start is durable), {@link #finished} with the call's one result. Implemented by {@link
 * ExecutionJournal}; {@link #NONE} records nothing.
 */
interface ExecutionLog {

  ExecutionLog NONE =
      new ExecutionLog() {
        @Override
        public CompletionStage<Void> starting(boolean idempotent) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void finished(ToolResult result) {}
      };

  /**
   * The tool is about to run. The returned stage completes once it may run; if it fails, the tool
   * does not run and the call is answered with an error. Called at most once, off the poll thread.
   */
  CompletionStage<Void> starting(boolean idempotent);

  /** The call's result, whichever outcome won (tool, error, deadline). Called exactly once. */
  void finished(ToolResult result);
}
