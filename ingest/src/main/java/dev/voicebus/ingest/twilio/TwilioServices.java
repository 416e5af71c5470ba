package dev.voicebus.ingest.twilio;

import dev.voicebus.ingest.server.PublicUrls;
import dev.voicebus.ingest.twilio.rest.TwilioRestClient;
import dev.voicebus.ingest.twilio.voice.StreamTokens;

/**
 * What the Twilio endpoints of one node share: the REST client (transfers, hang-ups, outbound
 * calls), the stream tokens it issues (for the voice webhook and outbound calls) and the public
 * URLs Twilio reaches the node at.
 */
public record TwilioServices(TwilioRestClient rest, StreamTokens streamTokens, PublicUrls urls) {}
