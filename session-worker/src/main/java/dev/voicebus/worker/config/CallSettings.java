package dev.voicebus.worker.config;

import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.worker.cost.PriceBook;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker's per-call limits and prices, the same for every call it runs.
 *
 * @param maxCallDuration calls longer than this are ended
 * @param callIdleTimeout calls whose caller audio stopped this long are ended (a lost CallEnded)
 * @param rotateAfter replace a session this long after it opened, between turns
 * @param maxBufferedFrames caller frames held while no session is open (oldest dropped beyond)
 * @param reconnect backoff between attempts to open a lost session
 * @param transferTimeout how long a transfer may take before the model is told it failed
 * @param cipher seals the tool arguments a profile marks sensitive; empty: they are redacted
 * @param prices what tokens and transcription cost
 */
public record CallSettings(
    Duration maxCallDuration,
    Duration callIdleTimeout,
    Duration rotateAfter,
    int maxBufferedFrames,
    Backoff reconnect,
    Duration transferTimeout,
    Optional<FieldCipher> cipher,
    PriceBook prices) {}
