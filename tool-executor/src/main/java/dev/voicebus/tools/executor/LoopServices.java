package dev.voicebus.tools.executor;

import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.tools.metrics.ToolMetrics;

/**
 * What every {@link ToolCallLoop} of one executor shares and outlives it: the runner with its
 * pools, the metrics, the execution journal (so a restarted loop answers calls the previous one
 * started), the tool.dedupe restorer and the tracing.
 */
record LoopServices(
    ToolRunner runner,
    ToolMetrics metrics,
    ExecutionJournal journal,
    DedupeRestorer restorer,
    Tracing tracing) {}
