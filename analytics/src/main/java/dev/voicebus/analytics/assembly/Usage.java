package dev.voicebus.analytics.assembly;

import dev.voicebus.analytics.usage.UsageDelta;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What one assembly step adds to its tenant's usage, gathered while the step runs and turned into
 * {@link UsageDelta}s at its end: everything at the step's event time, except call time, which is
 * split at hour boundaries so each piece lands in the hour (and day) it belongs to.
 */
final class Usage {

  long calls;
  Instant callsAt;
  final TokenUsage.Builder tokens = TokenUsage.newBuilder();
  double costUsd;
  double transcriptionSeconds;
  long toolCalls;
  long toolErrors;
  long errors;
  final List<Long> latencies = new ArrayList<>();
  Instant callFrom;
  Instant callTo;

  void add(SessionUsage usage) {
    SessionUpdates.add(tokens, usage.getUsage());
    costUsd += usage.getCostUsd();
    transcriptionSeconds += usage.getTranscriptionSeconds();
  }

  List<UsageDelta> toDeltas(String tenantId, Instant at) {
    List<UsageDelta> deltas = new ArrayList<>();
    if (tenantId == null) {
      return deltas;
    }
    boolean any =
        tokens.getTotalTokens() > 0
            || costUsd != 0
            || transcriptionSeconds != 0
            || toolCalls > 0
            || toolErrors > 0
            || errors > 0
            || !latencies.isEmpty();
    if (any) {
      deltas.add(
          base(tenantId, at)
              .setInputTextTokens(tokens.getInputTextTokens())
              .setInputAudioTokens(tokens.getInputAudioTokens())
              .setInputImageTokens(tokens.getInputImageTokens())
              .setCachedTextTokens(tokens.getCachedTextTokens())
              .setCachedAudioTokens(tokens.getCachedAudioTokens())
              .setCachedImageTokens(tokens.getCachedImageTokens())
              .setOutputTextTokens(tokens.getOutputTextTokens())
              .setOutputAudioTokens(tokens.getOutputAudioTokens())
              .setTotalTokens(tokens.getTotalTokens())
              .setCostUsd(costUsd)
              .setTranscriptionSeconds(transcriptionSeconds)
              .setToolCalls(toolCalls)
              .setToolErrors(toolErrors)
              .setErrors(errors)
              .setTurnLatenciesMs(List.copyOf(latencies))
              .build());
    }
    if (calls > 0) {
      deltas.add(base(tenantId, callsAt == null ? at : callsAt).setCalls(calls).build());
    }
    if (callFrom != null && callTo != null && callTo.isAfter(callFrom)) {
      Instant from = callFrom;
      while (from.isBefore(callTo)) {
        Instant hourEnd = from.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant to = hourEnd.isBefore(callTo) ? hourEnd : callTo;
        deltas.add(base(tenantId, from).setCallMs(to.toEpochMilli() - from.toEpochMilli()).build());
        from = to;
      }
    }
    return deltas;
  }

  private static UsageDelta.Builder base(String tenantId, Instant at) {
    return UsageDelta.newBuilder().setTenantId(tenantId).setAt(at);
  }
}
