package dev.voicebus.ingest.twilio;

import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order checks on a Twilio stream: {@code sequenceNumber} (every message) and {@code media.chunk}
 * must increase. Going backwards or repeating is a protocol error; a skip is counted ({@code
 * voicebus_ingest_errors_total{kind="sequence-gap"}}) and logged, because the audio that did arrive
 * is still good and the frames published stay gap-free. A message without the field (0) is not
 * checked.
 */
final class TwilioSequence {

  private static final Logger log = LoggerFactory.getLogger(TwilioSequence.class);

  private final IngestMetrics metrics;
  private long lastSequence;
  private long lastChunk;

  TwilioSequence(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  void checkMessage(long sequenceNumber, String callId) {
    if (sequenceNumber != 0) {
      lastSequence = check("sequenceNumber", sequenceNumber, lastSequence, callId);
    }
  }

  void checkChunk(long chunk, String callId) {
    if (chunk != 0) {
      lastChunk = check("media.chunk", chunk, lastChunk, callId);
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
