package dev.voicebus.schemas.topic;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallRecord;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.TenantUsage;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolCatalogueEntry;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.WebhookDeadLetter;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.topic.TopicSpec.CleanupPolicy;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic contract of ARCHITECTURE.md as typed constants. Every key is the call id as a UTF-8
 * string; values are Avro in single-object encoding, except the dead-letter topic, which keeps the
 * original bytes, and the schemas topic.
 */
public final class Topics {

  private static final Serde<String> CALL_ID = Serdes.String();

  public static final TopicSpec<String, CallControl> CALL_CONTROL =
      spec(
          "call.control",
          AvroSerde.of(CallControl.class),
          PartitionGroup.CALL_INPUT,
          Duration.ofDays(7));

  public static final TopicSpec<String, AudioFrame> AUDIO_IN =
      spec(
          "audio.in",
          AvroSerde.of(AudioFrame.class),
          PartitionGroup.CALL_INPUT,
          Duration.ofDays(1));

  public static final TopicSpec<String, AudioOut> AUDIO_OUT =
      spec("audio.out", AvroSerde.of(AudioOut.class), PartitionGroup.REPLY, Duration.ofHours(6));

  public static final TopicSpec<String, TranscriptEvent> TRANSCRIPTS =
      spec(
          "transcripts",
          AvroSerde.of(TranscriptEvent.class),
          PartitionGroup.OUTPUT,
          Duration.ofDays(7));

  public static final TopicSpec<String, ToolCall> TOOL_CALLS =
      spec("tool.calls", AvroSerde.of(ToolCall.class), PartitionGroup.OUTPUT, Duration.ofDays(7));

  public static final TopicSpec<String, ToolResult> TOOL_RESULTS =
      spec(
          "tool.results",
          AvroSerde.of(ToolResult.class),
          PartitionGroup.CALL_INPUT,
          Duration.ofDays(7));

  public static final TopicSpec<String, SessionEvent> SESSION_EVENTS =
      spec(
          "session.events",
          AvroSerde.of(SessionEvent.class),
          PartitionGroup.OUTPUT,
          Duration.ofDays(30));

  /**
   * The tool executor's record of finished executions: key toolCallId, value the ToolResult,
   * written in the same transaction as the result and to the same partition number as the ToolCall,
   * so a redelivered call is answered from here instead of running again. Compacted, then expired.
   */
  public static final TopicSpec<String, ToolResult> TOOL_DEDUPE =
      new TopicSpec<>(
          "tool.dedupe",
          CALL_ID,
          AvroSerde.of(ToolResult.class),
          PartitionGroup.OUTPUT,
          Duration.ofDays(7),
          CleanupPolicy.COMPACT_DELETE);

  /**
   * Records that could not be decoded or handled: original key and value bytes, reason in headers.
   */
  public static final TopicSpec<byte[], byte[]> DLQ =
      new TopicSpec<>(
          "dlq",
          Serdes.ByteArray(),
          Serdes.ByteArray(),
          PartitionGroup.OUTPUT,
          Duration.ofDays(14),
          CleanupPolicy.DELETE);

  /**
   * The analytics service's assembled calls: key call id, value the latest {@link CallRecord} (live
   * revisions, then the final one). Compacted, kept until deleted.
   */
  public static final TopicSpec<String, CallRecord> CALLS =
      new TopicSpec<>(
          "calls",
          CALL_ID,
          AvroSerde.of(CallRecord.class),
          PartitionGroup.OUTPUT,
          Duration.ofMillis(-1),
          CleanupPolicy.COMPACT);

  /** {@link #CALLS} as JSON text (UTF-8), for tools that read JSON (Kafka Connect sinks). */
  public static final TopicSpec<String, String> CALLS_JSON =
      new TopicSpec<>(
          "calls.json",
          CALL_ID,
          Serdes.String(),
          PartitionGroup.OUTPUT,
          Duration.ofMillis(-1),
          CleanupPolicy.COMPACT);

  /**
   * Per-tenant usage windows from the analytics service: key {@code <tenant>|<HOUR|DAY>|<window
   * start ISO-8601>} (not a call id), value the window's latest {@link TenantUsage}. Compacted.
   */
  public static final TopicSpec<String, TenantUsage> USAGE =
      new TopicSpec<>(
          "usage",
          Serdes.String(),
          AvroSerde.of(TenantUsage.class),
          PartitionGroup.OUTPUT,
          Duration.ofMillis(-1),
          CleanupPolicy.COMPACT);

  /**
   * Call events the event-webhooks service gave up delivering to an endpoint (rejected, retries
   * exhausted, or shed from a full backlog): the event, the endpoint, the attempts and the last
   * error. Key: the call id.
   */
  public static final TopicSpec<String, WebhookDeadLetter> WEBHOOKS_DLQ =
      spec(
          "webhooks.dlq",
          AvroSerde.of(WebhookDeadLetter.class),
          PartitionGroup.OUTPUT,
          Duration.ofDays(14));

  /** Writer schemas by fingerprint, for readers on older versions (see KafkaSchemaStore). */
  public static final TopicSpec<String, String> SCHEMAS =
      new TopicSpec<>(
          "schemas",
          Serdes.String(),
          Serdes.String(),
          PartitionGroup.SINGLE,
          Duration.ofMillis(-1),
          CleanupPolicy.COMPACT);

  /**
   * The tools the tool executor can run, as offered to the model: key the tool's name, value its
   * {@link ToolCatalogueEntry}, a tombstone when the tool goes away (an MCP server down, a webhook
   * removed). One partition, compacted and kept forever, so a session worker reads the whole
   * catalogue at start-up and follows its changes.
   */
  public static final TopicSpec<String, ToolCatalogueEntry> TOOL_CATALOGUE =
      new TopicSpec<>(
          "tool.catalogue",
          Serdes.String(),
          AvroSerde.of(ToolCatalogueEntry.class),
          PartitionGroup.SINGLE,
          Duration.ofMillis(-1),
          CleanupPolicy.COMPACT);

  /** Every topic, in the order the bootstrap creates them. */
  public static final List<TopicSpec<?, ?>> ALL =
      List.of(
          CALL_CONTROL,
          AUDIO_IN,
          TOOL_RESULTS,
          AUDIO_OUT,
          TRANSCRIPTS,
          TOOL_CALLS,
          TOOL_DEDUPE,
          SESSION_EVENTS,
          DLQ,
          SCHEMAS,
          TOOL_CATALOGUE,
          CALLS,
          CALLS_JSON,
          USAGE,
          WEBHOOKS_DLQ);

  private Topics() {}

  private static <V> TopicSpec<String, V> spec(
      String baseName, Serde<V> valueSerde, PartitionGroup group, Duration retention) {
    return new TopicSpec<>(baseName, CALL_ID, valueSerde, group, retention, CleanupPolicy.DELETE);
  }
}
