package dev.voicebus.simulator.twilio;

import dev.voicebus.simulator.SimulatedCall;
import java.util.Optional;

/**
 * What became of an {@link InboundDial}: the CallSid Twilio gave it, the webhook's HTTP status and
 * body, the TwiML it answered (when it did), and the Media Stream that TwiML connected, if any.
 */
public record InboundCall(
    String callSid,
    int status,
    String body,
    Optional<TwimlDocument> twiml,
    Optional<SimulatedCall> stream) {}
