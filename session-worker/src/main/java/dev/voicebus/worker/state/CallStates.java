package dev.voicebus.worker.state;

import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The pure functions over a call's durable {@link CallState}: the state of a new call, and {@link
 * #apply} of one {@link StateChange}. A state is never mutated once built; each change yields a new
 * state, so a state handed to the store (on the stream thread) cannot change under it. The state
 * stays bounded: the conversation keeps its newest {@value #MAX_ENTRIES} entries and {@value
 * #MAX_TEXT_CHARS} characters (a tool call leaves together with its output, so a replay never shows
 * an output without its call), and the settled tool ids their newest {@value #MAX_SETTLED}.
 */
public final class CallStates {

  public static final int MAX_ENTRIES = 120;
  public static final int MAX_TEXT_CHARS = 48_000;
  public static final int MAX_SETTLED = 256;

  private CallStates() {}

  /** The state of a call that just started. */
  public static CallState started(CallStarted started) {
    return started(started, null);
  }

  /**
   * The state of a call that just started; {@code traceparent} names ingest's span of the call
   * (kept so every owner's spans join the call's trace; null when not traced).
   */
  public static CallState started(CallStarted started, String traceparent) {
    return CallState.newBuilder()
        .setTraceparent(traceparent)
        .setCallId(started.getCallId())
        .setTenantId(started.getTenantId())
        .setProfileId(started.getAgentProfile())
        .setCodec(started.getCodec().name())
        .setReplyTopic(started.getReplyRoute().getTopic())
        .setReplyPartition(started.getReplyRoute().getPartition())
        .setStartedAtMs(started.getStartedAt().toEpochMilli())
        .setSource(started.getSource().name())
        .setExternalCallId(started.getExternalCallId())
        .setStatus(CallStatus.LIVE)
        .setEntries(List.of())
        .setPendingTools(List.of())
        .setSettledTools(List.of())
        .setUsage(new UsageTotals())
        .build();
  }

  /** The state after {@code change}; {@code state} itself is left as it was. */
  public static CallState apply(CallState state, StateChange change) {
    var next = copyOf(state);
    if (change instanceof StateChange.SessionIdentified c) {
      next.setSessionId(c.sessionId());
    } else if (change instanceof StateChange.EntryAdded c) {
      List<ConversationEntry> entries = new ArrayList<>(state.getEntries());
      entries.add(c.entry());
      next.setEntries(bounded(entries));
    } else if (change instanceof StateChange.AgentLineCut c) {
      next.setEntries(bounded(cutAgentLine(state.getEntries(), c.itemId(), c.heardText())));
    } else if (change instanceof StateChange.ToolRequested c) {
      List<PendingTool> pending = new ArrayList<>(state.getPendingTools());
      pending.add(c.tool());
      next.setPendingTools(pending).setToolCalls(state.getToolCalls() + 1);
    } else if (change instanceof StateChange.ToolDeadlineMoved c) {
      next.setPendingTools(
          state.getPendingTools().stream()
              .map(
                  p ->
                      p.getToolCallId().equals(c.toolCallId())
                          ? new PendingTool(p.getToolCallId(), p.getName(), c.deadlineMs())
                          : p)
              .toList());
    } else if (change instanceof StateChange.ToolSettled c) {
      next.setPendingTools(
          state.getPendingTools().stream()
              .filter(p -> !p.getToolCallId().equals(c.toolCallId()))
              .toList());
      var settled = new LinkedHashSet<>(state.getSettledTools());
      settled.add(c.toolCallId());
      List<String> ids = new ArrayList<>(settled);
      next.setSettledTools(ids.subList(Math.max(0, ids.size() - MAX_SETTLED), ids.size()));
    } else if (change instanceof StateChange.ResponseBilled c) {
      next.setUsage(billed(state.getUsage(), c.tokens(), c.costUsd()))
          .setTurns(state.getTurns() + 1);
    } else if (change instanceof StateChange.TranscriptionBilled c) {
      var usage = state.getUsage();
      next.setUsage(
          new UsageTotals(
              usage.getInputTextTokens(),
              usage.getInputAudioTokens(),
              usage.getInputImageTokens(),
              usage.getCachedTextTokens(),
              usage.getCachedAudioTokens(),
              usage.getCachedImageTokens(),
              usage.getOutputTextTokens(),
              usage.getOutputAudioTokens(),
              usage.getTotalTokens(),
              usage.getTranscriptionSeconds() + c.seconds(),
              usage.getCostUsd() + c.costUsd()));
    } else if (change instanceof StateChange.ResponseOwed c) {
      next.setResponseOwed(c.owed());
    } else if (change instanceof StateChange.Reconnected) {
      next.setReconnects(state.getReconnects() + 1);
    } else if (change instanceof StateChange.Ended) {
      next.setStatus(CallStatus.ENDED).setPendingTools(List.of());
    }
    return next.build();
  }

  /**
   * A builder holding {@code state}'s values as they are: states are never mutated, so the new one
   * shares what did not change instead of deep-copying it.
   */
  private static CallState.Builder copyOf(CallState state) {
    return CallState.newBuilder()
        .setCallId(state.getCallId())
        .setTenantId(state.getTenantId())
        .setProfileId(state.getProfileId())
        .setCodec(state.getCodec())
        .setReplyTopic(state.getReplyTopic())
        .setReplyPartition(state.getReplyPartition())
        .setStartedAtMs(state.getStartedAtMs())
        .setStatus(state.getStatus())
        .setSessionId(state.getSessionId())
        .setLastSeq(state.getLastSeq())
        .setEntries(state.getEntries())
        .setPendingTools(state.getPendingTools())
        .setSettledTools(state.getSettledTools())
        .setTurns(state.getTurns())
        .setToolCalls(state.getToolCalls())
        .setReconnects(state.getReconnects())
        .setUsage(state.getUsage())
        .setResponseOwed(state.getResponseOwed())
        .setSource(state.getSource())
        .setExternalCallId(state.getExternalCallId())
        .setTraceparent(state.getTraceparent());
  }

  /** Replaces the agent entry of {@code itemId} by {@code heard}, or adds it. */
  private static List<ConversationEntry> cutAgentLine(
      List<ConversationEntry> entries, String itemId, String heard) {
    List<ConversationEntry> next = new ArrayList<>(entries.size() + 1);
    for (ConversationEntry entry : entries) {
      if (!(entry.getKind() == EntryKind.AGENT && itemId.equals(entry.getItemId()))) {
        next.add(entry);
      }
    }
    next.add(new ConversationEntry(EntryKind.AGENT, itemId, heard, null, null));
    return next;
  }

  /**
   * Drops the oldest entries beyond the caps. A tool call and its output leave together, and an
   * output whose call is gone leaves too, so the replayed conversation stays valid.
   */
  static List<ConversationEntry> bounded(List<ConversationEntry> entries) {
    int chars = entries.stream().mapToInt(e -> e.getText().length()).sum();
    if (entries.size() <= MAX_ENTRIES && chars <= MAX_TEXT_CHARS) {
      return entries;
    }
    List<ConversationEntry> kept = new ArrayList<>(entries);
    while (!kept.isEmpty() && (kept.size() > MAX_ENTRIES || chars > MAX_TEXT_CHARS)) {
      ConversationEntry dropped = kept.remove(0);
      chars -= dropped.getText().length();
      if (dropped.getKind() == EntryKind.TOOL_CALL) {
        for (int i = 0; i < kept.size(); i++) {
          var entry = kept.get(i);
          if (entry.getKind() == EntryKind.TOOL_OUTPUT
              && dropped.getToolCallId().equals(entry.getToolCallId())) {
            chars -= kept.remove(i).getText().length();
            break;
          }
        }
      }
      while (!kept.isEmpty() && kept.get(0).getKind() == EntryKind.TOOL_OUTPUT) {
        chars -= kept.remove(0).getText().length();
      }
    }
    return kept;
  }

  private static UsageTotals billed(UsageTotals totals, TokenUsage usage, double costUsd) {
    return new UsageTotals(
        totals.getInputTextTokens() + usage.getInputTextTokens(),
        totals.getInputAudioTokens() + usage.getInputAudioTokens(),
        totals.getInputImageTokens() + usage.getInputImageTokens(),
        totals.getCachedTextTokens() + usage.getCachedTextTokens(),
        totals.getCachedAudioTokens() + usage.getCachedAudioTokens(),
        totals.getCachedImageTokens() + usage.getCachedImageTokens(),
        totals.getOutputTextTokens() + usage.getOutputTextTokens(),
        totals.getOutputAudioTokens() + usage.getOutputAudioTokens(),
        totals.getTotalTokens() + usage.getTotalTokens(),
        totals.getTranscriptionSeconds(),
        totals.getCostUsd() + costUsd);
  }
}
