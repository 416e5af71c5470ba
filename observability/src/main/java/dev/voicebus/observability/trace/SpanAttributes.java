package dev.voicebus.observability.trace;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes Voicebus puts on its spans; one name per fact in every service. */
public final class SpanAttributes {

  public static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("voicebus.call.id");
  public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("voicebus.tenant.id");
  public static final AttributeKey<String> AGENT_PROFILE =
      AttributeKey.stringKey("voicebus.agent.profile");
  public static final AttributeKey<String> CALL_SOURCE =
      AttributeKey.stringKey("voicebus.call.source");
  public static final AttributeKey<String> EXTERNAL_CALL_ID =
      AttributeKey.stringKey("voicebus.call.external_id");
  public static final AttributeKey<String> END_REASON =
      AttributeKey.stringKey("voicebus.call.end_reason");
  public static final AttributeKey<Boolean> RESUMED =
      AttributeKey.booleanKey("voicebus.call.resumed");
  public static final AttributeKey<Long> TURN = AttributeKey.longKey("voicebus.turn.number");
  public static final AttributeKey<Long> TURN_LATENCY_MS =
      AttributeKey.longKey("voicebus.turn.latency_ms");
  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("voicebus.tool.name");
  public static final AttributeKey<String> TOOL_CALL_ID =
      AttributeKey.stringKey("voicebus.tool.call_id");
  public static final AttributeKey<String> TOOL_STATUS =
      AttributeKey.stringKey("voicebus.tool.status");
  public static final AttributeKey<String> TOOL_ERROR_CODE =
      AttributeKey.stringKey("voicebus.tool.error_code");
  public static final AttributeKey<Long> TOOL_ATTEMPTS =
      AttributeKey.longKey("voicebus.tool.attempts");
  public static final AttributeKey<String> TOOL_ARGUMENTS =
      AttributeKey.stringKey("voicebus.tool.arguments");
  public static final AttributeKey<String> SESSION_ID =
      AttributeKey.stringKey("voicebus.realtime.session_id");

  private SpanAttributes() {}
}
