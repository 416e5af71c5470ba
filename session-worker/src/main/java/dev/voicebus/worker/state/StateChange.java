package dev.voicebus.worker.state;

import dev.voicebus.avro.TokenUsage;

/**
 * One durable change to a call's {@link CallState}, decided by the call's coordinator and applied
 * by {@link CallStates#apply}. Everything a new owner needs after a failover (the conversation for
 * the replay, pending tools and their deadlines, totals for the summary) changes only through these
 * records, so what the store holds is always the result of a known sequence of typed changes.
 */
public sealed interface StateChange {

  /** The Realtime session now serving the call. */
  record SessionIdentified(String sessionId) implements StateChange {}

  /** A finished turn or tool item joins the conversation that a new session replays. */
  record EntryAdded(ConversationEntry entry) implements StateChange {}

  /**
   * The agent's line was cut off (barge-in, lost session): its conversation entry becomes what the
   * caller heard.
   */
  record AgentLineCut(String itemId, String heardText) implements StateChange {}

  /** The model asked for a tool; its result is due by the deadline. */
  record ToolRequested(PendingTool tool) implements StateChange {}

  /** A tool call now waits until {@code deadlineMs} (a transfer waits for the carrier). */
  record ToolDeadlineMoved(String toolCallId, long deadlineMs) implements StateChange {}

  /** A tool's result or timeout reached the model; later results for it are dropped. */
  record ToolSettled(String toolCallId) implements StateChange {}

  /** A response finished, with its token usage and cost. */
  record ResponseBilled(TokenUsage tokens, double costUsd) implements StateChange {}

  /** Caller audio was transcribed, billed by duration. */
  record TranscriptionBilled(double seconds, double costUsd) implements StateChange {}

  /**
   * Whether the next session must ask for a response after its replay (the agent was cut off, or a
   * response was asked for while no session was open).
   */
  record ResponseOwed(boolean owed) implements StateChange {}

  /** A new Realtime session replaced a lost one. */
  record Reconnected() implements StateChange {}

  /** The worker ended the call itself (fatal error, limit); no later owner may reopen it. */
  record Ended(String reason) implements StateChange {}
}
