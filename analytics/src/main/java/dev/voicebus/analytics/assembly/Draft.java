package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallError;
import dev.voicebus.avro.CallMetrics;
import dev.voicebus.avro.CallReconnect;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.CallStatus;
import dev.voicebus.avro.CallToolCall;
import dev.voicebus.avro.CallTruncation;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call document being changed by one input: the generated Avro record's builder plus mutable
 * copies of its lists and nested records, turned back into an immutable {@link CallRecord} by
 * {@link #build()}. Confined to one assembly step.
 */
final class Draft {

  final CallRecord.Builder doc;
  final List<CallTurn> turns;
  final List<CallToolCall> tools;
  final List<CallReconnect> reconnects;
  final List<CallError> errors;
  final List<String> sessionIds;
  final Map<String, String> callerMetadata;
  final CallMetrics.Builder metrics;
  final CallTruncation.Builder truncation;
  final TokenUsage.Builder usage;

  private Draft(CallRecord.Builder doc) {
    this.doc = doc;
    // A new builder has no lists yet (Avro fills defaults at build()).
    this.turns = doc.hasTurns() ? new ArrayList<>(doc.getTurns()) : new ArrayList<>();
    this.tools = doc.hasToolCalls() ? new ArrayList<>(doc.getToolCalls()) : new ArrayList<>();
    this.reconnects =
        doc.hasReconnects() ? new ArrayList<>(doc.getReconnects()) : new ArrayList<>();
    this.errors = doc.hasErrors() ? new ArrayList<>(doc.getErrors()) : new ArrayList<>();
    this.sessionIds =
        doc.hasSessionIds() ? new ArrayList<>(doc.getSessionIds()) : new ArrayList<>();
    this.callerMetadata =
        doc.hasCallerMetadata() ? new HashMap<>(doc.getCallerMetadata()) : new HashMap<>();
    this.metrics = CallMetrics.newBuilder(doc.getMetrics());
    this.truncation = CallTruncation.newBuilder(doc.getTruncation());
    this.usage = TokenUsage.newBuilder(doc.getUsage());
  }

  /**
   * A draft of {@code before}, or of a new document for {@code callId} first seen at {@code at}.
   */
  static Draft of(CallRecord before, String callId, Instant at) {
    if (before != null) {
      return new Draft(CallRecord.newBuilder(before));
    }
    return new Draft(
        CallRecord.newBuilder()
            .setCallId(callId)
            .setStatus(CallStatus.LIVE)
            .setStartedAt(at)
            .setMetrics(CallMetrics.newBuilder().build())
            .setUsage(TokenUsage.newBuilder().build())
            .setTruncation(CallTruncation.newBuilder().build())
            .setUpdatedAt(at)
            .setRevision(0));
  }

  CallRecord build() {
    return doc.setTurns(turns)
        .setToolCalls(tools)
        .setReconnects(reconnects)
        .setErrors(errors)
        .setSessionIds(sessionIds)
        .setCallerMetadata(callerMetadata)
        .setMetrics(metrics.build())
        .setTruncation(truncation.build())
        .setUsage(usage.build())
        .build();
  }

  int turnIndex(String itemId) {
    for (int i = 0; i < turns.size(); i++) {
      if (turns.get(i).getItemId().equals(itemId)) {
        return i;
      }
    }
    return -1;
  }

  int toolIndex(String toolCallId) {
    for (int i = 0; i < tools.size(); i++) {
      if (tools.get(i).getToolCallId().equals(toolCallId)) {
        return i;
      }
    }
    return -1;
  }

  /** Fills tenant, profile and external id from a record that carries them, where still unknown. */
  void identify(String tenantId, String agentProfile, String externalCallId) {
    if (doc.getTenantId() == null && tenantId != null) {
      doc.setTenantId(tenantId);
    }
    if (doc.getAgentProfile() == null && agentProfile != null) {
      doc.setAgentProfile(agentProfile);
    }
    if (doc.getExternalCallId() == null && externalCallId != null) {
      doc.setExternalCallId(externalCallId);
    }
  }
}
