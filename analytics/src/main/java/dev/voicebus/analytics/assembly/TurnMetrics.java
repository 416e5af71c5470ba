package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.Speaker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Figures derived from the turns, recomputed after every change so that records arriving in any
 * order (a caller's final often lands after the agent has begun to answer) give the same result.
 *
 * <p>Turn latency: for each agent turn, the time from the end of the caller's speech that it
 * answers to the agent's first words, when the agent began after the caller stopped and no other
 * agent turn began in between. It includes any tool the answer waited for; whether it includes
 * end-of-turn detection depends on what the endpoint reports as the end of speech. Talk time: the
 * caller's voice activity per turn, and the agent audio the caller heard.
 */
final class TurnMetrics {

  private TurnMetrics() {}

  /** Sets each agent turn's latency. */
  static void updateLatencies(Draft d) {
    Instant pendingCallerEnd = null;
    for (int i = 0; i < d.turns.size(); i++) {
      CallTurn turn = d.turns.get(i);
      if (turn.getStartedAt() == null) {
        continue;
      }
      if (turn.getSpeaker() == Speaker.CALLER) {
        if (turn.getComplete() && turn.getEndedAt() != null) {
          pendingCallerEnd = turn.getEndedAt();
        }
        continue;
      }
      Long latency = null;
      if (pendingCallerEnd != null && !turn.getStartedAt().isBefore(pendingCallerEnd)) {
        latency = turn.getStartedAt().toEpochMilli() - pendingCallerEnd.toEpochMilli();
        pendingCallerEnd = null;
      }
      if (!Objects.equals(latency, turn.getLatencyMs())) {
        d.turns.set(i, CallTurn.newBuilder(turn).setLatencyMs(latency).build());
      }
    }
  }

  /** Recomputes the turn-derived metrics, adding what the size bound dropped. */
  static void updateMetrics(Draft d) {
    int callerTurns = d.truncation.getDroppedCallerTurns();
    int agentTurns = d.truncation.getDroppedAgentTurns();
    int interruptions = d.truncation.getDroppedInterruptions();
    long callerTalk = d.truncation.getDroppedCallerTalkMs();
    long agentTalk = d.truncation.getDroppedAgentTalkMs();
    List<Long> latencies = new ArrayList<>();
    for (CallTurn turn : d.turns) {
      if (turn.getSpeaker() == Speaker.CALLER) {
        callerTurns += turn.getComplete() ? 1 : 0;
        callerTalk += talkMs(turn);
      } else {
        agentTurns += turn.getComplete() ? 1 : 0;
        interruptions += turn.getInterrupted() ? 1 : 0;
        agentTalk += talkMs(turn);
        if (turn.getLatencyMs() != null) {
          latencies.add(turn.getLatencyMs());
        }
      }
    }
    latencies.sort(null);
    d.metrics
        .setCallerTurns(callerTurns)
        .setAgentTurns(agentTurns)
        .setInterruptions(interruptions)
        .setCallerTalkMs(callerTalk)
        .setAgentTalkMs(agentTalk)
        .setTurnLatencyCount(latencies.size())
        .setTurnLatencyP50Ms(latencies.isEmpty() ? null : latencies.get(latencies.size() / 2))
        .setTurnLatencyMaxMs(latencies.isEmpty() ? null : latencies.get(latencies.size() - 1));
    Long duration = d.doc.getDurationMs();
    d.metrics.setSilenceMs(
        duration == null ? null : Math.max(0, duration - callerTalk - agentTalk));
  }

  /** The audio a turn accounts for: caller voice activity, or agent audio heard. */
  static long talkMs(CallTurn turn) {
    if (!turn.getComplete() || turn.getAudioEndMs() == null) {
      return 0;
    }
    long start = turn.getAudioStartMs() == null ? 0 : turn.getAudioStartMs();
    return Math.max(0, turn.getAudioEndMs() - start);
  }
}
