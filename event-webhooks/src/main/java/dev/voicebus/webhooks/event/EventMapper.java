package dev.voicebus.webhooks.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.RecordingInfo;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.TokenUsage;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.webhooks.event.CallDirectory.CallInfo;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns records of the call topics into webhook events, as pure decisions over plain inputs: a
 * CallStarted becomes {@code call.started}, a CallEnded {@code call.ended} (preceded by {@code
 * call.transferred} when the caller was transferred), a session's CallSummary {@code call.summary},
 * its SessionError {@code call.error}, its RECORDING_READY lifecycle event {@code recording.ready},
 * and a ToolResult that is an error or a timeout {@code tool.failed}. Payloads carry only what is
 * on the topics, which the session worker redacts before it publishes; caller metadata (phone
 * numbers, custom parameters) is left out. The {@link CallDirectory} supplies the tenant of records
 * that do not carry one (CallEnded) and is updated by call.control records.
 */
public final class EventMapper {

  /** Longest error message of a failed tool copied into {@code tool.failed}, in characters. */
  static final int MAX_MESSAGE_CHARS = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallDirectory directory;

  public EventMapper(CallDirectory directory) {
    this.directory = directory;
  }

  public CallDirectory directory() {
    return directory;
  }

  public Mapping callStarted(SourceRef source, CallStarted started) {
    String callId = started.getCallId();
    Instant at = started.getStartedAt();
    var info =
        new CallInfo(
            started.getTenantId(),
            started.getAgentProfile(),
            Optional.ofNullable(started.getExternalCallId()),
            source.partition(),
            at);
    directory.started(callId, info);
    ObjectNode data = base(callId, info);
    data.put("source", lower(started.getSource()));
    data.put("codec", lower(started.getCodec()));
    data.put("sampleRate", started.getSampleRate());
    data.put("startedAt", at.toString());
    return Mapping.of(event(EventType.CALL_STARTED, callId, info, at, data, callId, source));
  }

  public Mapping callEnded(SourceRef source, CallEnded ended) {
    String callId = ended.getCallId();
    Optional<CallInfo> known = directory.find(callId);
    directory.ended(callId, source.offset());
    if (known.isEmpty()) {
      return Mapping.unroutable("call.ended of a call whose CallStarted was not seen");
    }
    CallInfo info = known.get();
    Instant at = ended.getEndedAt();
    ObjectNode data = base(callId, info);
    data.put("reason", lower(ended.getReason()));
    data.put("detail", ended.getDetail());
    data.put("transferTarget", ended.getTransferTarget());
    data.put("endedAt", at.toString());
    WebhookEvent end = event(EventType.CALL_ENDED, callId, info, at, data, callId, source);
    if (ended.getReason() != CallEndReason.TRANSFERRED) {
      return Mapping.of(end);
    }
    WebhookEvent transferred =
        event(EventType.CALL_TRANSFERRED, callId, info, at, data, callId, source);
    return Mapping.of(transferred, end);
  }

  public Mapping sessionEvent(SourceRef source, SessionEvent record) {
    Object event = record.getEvent();
    if (event instanceof CallSummary summary) {
      return resolve(
              record.getCallId(),
              record.getTenantId(),
              record.getAgentProfile(),
              record.getExternalCallId())
          .map(info -> Mapping.of(summary(source, record, summary, info)))
          .orElseGet(() -> unknownTenant(EventType.CALL_SUMMARY));
    }
    if (event instanceof SessionError error) {
      return resolve(
              record.getCallId(),
              record.getTenantId(),
              record.getAgentProfile(),
              record.getExternalCallId())
          .map(info -> Mapping.of(error(source, record, error, info)))
          .orElseGet(() -> unknownTenant(EventType.CALL_ERROR));
    }
    if (event instanceof SessionLifecycle lifecycle
        && lifecycle.getPhase() == SessionPhase.RECORDING_READY) {
      return resolve(
              record.getCallId(),
              record.getTenantId(),
              record.getAgentProfile(),
              record.getExternalCallId())
          .map(info -> Mapping.of(recording(source, record, info)))
          .orElseGet(() -> unknownTenant(EventType.RECORDING_READY));
    }
    return Mapping.NONE;
  }

  public Mapping toolResult(SourceRef source, ToolResult result) {
    if (result.getStatus() != ToolStatus.ERROR && result.getStatus() != ToolStatus.TIMEOUT) {
      return Mapping.NONE;
    }
    Optional<CallInfo> known =
        resolve(
            result.getCallId(),
            result.getTenantId(),
            result.getAgentProfile(),
            result.getExternalCallId());
    if (known.isEmpty()) {
      return unknownTenant(EventType.TOOL_FAILED);
    }
    CallInfo info = known.get();
    ObjectNode data = base(result.getCallId(), info);
    data.put("toolCallId", result.getToolCallId());
    data.put("tool", result.getName());
    data.put("status", lower(result.getStatus()));
    JsonNode output = parse(result.getOutputJson());
    data.put("error", text(output.get("error")));
    data.put("message", cut(text(output.get("message"))));
    data.put("durationMs", result.getDurationMs());
    data.put("attempts", result.getAttempts());
    Instant at = result.getCompletedAt();
    data.put("completedAt", at.toString());
    return Mapping.of(
        event(
            EventType.TOOL_FAILED,
            result.getCallId(),
            info,
            at,
            data,
            result.getToolCallId(),
            source));
  }

  private WebhookEvent summary(
      SourceRef source, SessionEvent record, CallSummary summary, CallInfo info) {
    ObjectNode data = base(record.getCallId(), info);
    data.put("sessionId", record.getSessionId());
    data.put("reason", summary.getReason());
    data.put("durationMs", summary.getDurationMs());
    data.put("turns", summary.getTurns());
    data.put("toolCalls", summary.getToolCalls());
    data.put("reconnects", summary.getReconnects());
    data.set("usage", usage(summary.getUsage()));
    data.put("costUsd", summary.getCostUsd());
    return event(
        EventType.CALL_SUMMARY,
        record.getCallId(),
        info,
        record.getAt(),
        data,
        record.getCallId(),
        source);
  }

  private WebhookEvent error(
      SourceRef source, SessionEvent record, SessionError error, CallInfo info) {
    ObjectNode data = base(record.getCallId(), info);
    data.put("sessionId", record.getSessionId());
    data.put("source", lower(error.getSource()));
    data.put("type", error.getType());
    data.put("code", error.getCode());
    data.put("message", error.getMessage());
    data.put("fatal", error.getFatal());
    data.put("at", record.getAt().toString());
    EventType type = EventType.CALL_ERROR;
    return new WebhookEvent(
        WebhookIds.of(type, source),
        type,
        record.getCallId(),
        info.tenantId(),
        info.agentProfile(),
        record.getAt(),
        body(type, record.getAt(), data),
        source);
  }

  private WebhookEvent recording(SourceRef source, SessionEvent record, CallInfo info) {
    ObjectNode data = base(record.getCallId(), info);
    RecordingInfo recording = record.getRecording();
    data.put("location", recording == null ? null : recording.getLocation());
    data.put("durationMs", recording == null ? 0 : recording.getDurationMs());
    data.put("pausedMs", recording == null ? 0 : recording.getPausedMs());
    data.put("carrierRecords", recording != null && recording.getCarrierRecords());
    return event(
        EventType.RECORDING_READY,
        record.getCallId(),
        info,
        record.getAt(),
        data,
        record.getCallId(),
        source);
  }

  /**
   * The call's identity from the record where it carries its tenant, else from the directory
   * (records of writers before v2 of the schema carry none).
   */
  private Optional<CallInfo> resolve(
      String callId, String tenantId, String agentProfile, String externalCallId) {
    Optional<CallInfo> known = directory.find(callId);
    if (tenantId == null) {
      return known;
    }
    return Optional.of(
        new CallInfo(
            tenantId,
            agentProfile != null ? agentProfile : known.map(CallInfo::agentProfile).orElse(null),
            Optional.ofNullable(externalCallId).or(() -> known.flatMap(CallInfo::externalCallId)),
            -1,
            Instant.EPOCH));
  }

  private static Mapping unknownTenant(EventType type) {
    return Mapping.unroutable(
        type.wireName() + " of a record without a tenant, for a call not seen");
  }

  private static ObjectNode base(String callId, CallInfo info) {
    ObjectNode data = JSON.createObjectNode();
    data.put("callId", callId);
    data.put("tenantId", info.tenantId());
    data.put("agentProfile", info.agentProfile());
    data.put("externalCallId", info.externalCallId().orElse(null));
    return data;
  }

  private static ObjectNode usage(TokenUsage usage) {
    ObjectNode node = JSON.createObjectNode();
    node.put("inputTextTokens", usage.getInputTextTokens());
    node.put("inputAudioTokens", usage.getInputAudioTokens());
    node.put("inputImageTokens", usage.getInputImageTokens());
    node.put("cachedTextTokens", usage.getCachedTextTokens());
    node.put("cachedAudioTokens", usage.getCachedAudioTokens());
    node.put("cachedImageTokens", usage.getCachedImageTokens());
    node.put("outputTextTokens", usage.getOutputTextTokens());
    node.put("outputAudioTokens", usage.getOutputAudioTokens());
    node.put("totalTokens", usage.getTotalTokens());
    return node;
  }

  private static WebhookEvent event(
      EventType type,
      String callId,
      CallInfo info,
      Instant at,
      ObjectNode data,
      String idKey,
      SourceRef source) {
    return new WebhookEvent(
        WebhookIds.of(type, idKey),
        type,
        callId,
        info.tenantId(),
        info.agentProfile(),
        at,
        body(type, at, data),
        source);
  }

  /** The Standard Webhooks payload: {@code {"type", "timestamp", "data"}}. */
  static String body(EventType type, Instant at, ObjectNode data) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("type", type.wireName());
    payload.put("timestamp", at.toString());
    payload.set("data", data);
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a " + type + " payload", e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node != null && node.isObject() ? node : JSON.createObjectNode();
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static String text(JsonNode node) {
    return node == null || !node.isValueNode() || node.isNull() ? null : node.asText();
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_MESSAGE_CHARS
        ? text
        : text.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
