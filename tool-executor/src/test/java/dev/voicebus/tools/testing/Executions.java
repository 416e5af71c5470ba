package dev.voicebus.tools.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How often each toolCallId was executed by the test tools (shared by the test JVM). */
public final class Executions {

  private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

  private Executions() {}

  static int record(String toolCallId) {
    return COUNTS.computeIfAbsent(toolCallId, id -> new AtomicInteger()).incrementAndGet();
  }

  public static int of(String toolCallId) {
    AtomicInteger count = COUNTS.get(toolCallId);
    return count == null ? 0 : count.get();
  }
}
