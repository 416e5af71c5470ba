package dev.voicebus.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order checks on a Twilio stream: {@code sequenceNumber} (every message) and {@code media.chunk}
 * must increase. Going backwards or repeating is a protocol error; a skip is counted ({@code
 * voicebus_ingest_errors_total{kind="sequence-gap"}}) and logged, because the audio that did arrive
 * is still good and the frames published stay gap-free.
 */
final class TwilioSequence {

  private static final Logger log = LoggerFactory.getLogger(TwilioSequence.class);

  private final IngestMetrics metrics;
  private long lastSequence;
  private long lastChunk;

  TwilioSequence(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  void checkMessage(JsonNode msg, String event, String callId) {
    JsonNode field = msg.get("sequenceNumber");
    if (field == null) {
      return;
    }
    long value = TwilioMessages.number(field, "sequenceNumber");
    lastSequence = check("sequenceNumber", value, lastSequence, callId);
  }

  void checkChunk(JsonNode media, String callId) {
    JsonNode field = media.get("chunk");
    if (field != null) {
      lastChunk =
          check("media.chunk", TwilioMessages.number(field, "media.chunk"), lastChunk, callId);
    }
  }

  private long check(String name, long value, long last, String callId) {
    if (value <= last) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR,
          "out-of-order",
          name + " went backwards: " + value + " after " + last);
    }
    if (value > last + 1 && last > 0) {
      metrics.error("sequence-gap");
      log.warn("Call {}: {} skipped from {} to {}", callId, name, last, value);
    }
    return value;
  }
}
