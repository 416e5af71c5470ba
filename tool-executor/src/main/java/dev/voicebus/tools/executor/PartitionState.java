package dev.voicebus.tools.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the poll thread knows about one owned tool.calls partition: its generation, its offsets in
 * progress, and the toolCallIds being executed with the offsets of copies that arrived meanwhile
 * (they are answered with the same result instead of running again).
 */
final class PartitionState {

  private final int generation;
  private final OffsetTracker offsets = new OffsetTracker();
  private final Map<String, List<Long>> running = new HashMap<>();

  PartitionState(int generation) {
    this.generation = generation;
  }

  int generation() {
    return generation;
  }

  OffsetTracker offsets() {
    return offsets;
  }

  boolean isRunning(String toolCallId) {
    return running.containsKey(toolCallId);
  }

  void startRunning(String toolCallId) {
    running.put(toolCallId, new ArrayList<>());
  }

  /** A copy of a running call at {@code offset} waits for the original's result. */
  void addCopy(String toolCallId, long offset) {
    running.get(toolCallId).add(offset);
  }

  /** The call finished; returns the offsets of copies waiting for its result. */
  List<Long> finishRunning(String toolCallId) {
    List<Long> copies = running.remove(toolCallId);
    return copies == null ? List.of() : copies;
  }

  int runningCount() {
    return running.size();
  }
}
