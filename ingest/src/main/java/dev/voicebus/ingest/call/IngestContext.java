package dev.voicebus.ingest.call;

import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.ingest.kafka.CallPublisher;
import dev.voicebus.ingest.twilio.TwilioServices;

/**
 * What every protocol handler shares on one node: settings, publisher, live calls, metrics, the
 * reply route, the Twilio services and the call spans.
 */
public record IngestContext(
    IngestConfig config,
    CallPublisher publisher,
    CallRegistry registry,
    IngestMetrics metrics,
    ReplyRoute replyRoute,
    TwilioServices twilio,
    CallTracing tracing) {}
