package dev.voicebus.realtime.webhook;

import java.time.Instant;

/**
 * A webhook request whose signature checked out.
 *
 * @param id the {@code webhook-id}: the same on every retry of one message, the idempotency key
 * @param timestamp the {@code webhook-timestamp} of this delivery attempt
 */
public record VerifiedWebhook(String id, Instant timestamp) {}
