package dev.voicebus.schemas.topic;

/**
 * How a topic's partition count is chosen. The call-input topics share one count so that one worker
 * task owns everything that feeds a call (co-partitioning).
 */
public enum PartitionGroup {
  /** call.control, audio.in, tool.results: co-partitioned by call id. */
  CALL_INPUT,
  /** audio.out: one or more reply partitions per ingest node. */
  REPLY,
  /** Everything else keyed by call id (transcripts, tool calls, session events, dlq). */
  OUTPUT,
  /** Single-partition compacted metadata (the schemas and tool catalogue topics). */
  SINGLE
}
