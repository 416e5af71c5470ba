package dev.voicebus.tools.executor;

import java.time.Duration;

/**
 * The names and limits the {@link ToolCallLoop} works with: full topic names of tool.calls,
 * tool.results and tool.dedupe, how many calls may be in flight before partitions are paused, how
 * long a graceful stop (or a partition's revocation) waits for running tools, and how long
 * committed toolCallIds are kept in memory.
 */
public record LoopSettings(
    String toolCallsTopic,
    String toolResultsTopic,
    String toolDedupeTopic,
    int maxInFlight,
    Duration shutdownGrace,
    Duration dedupeRetention) {}
