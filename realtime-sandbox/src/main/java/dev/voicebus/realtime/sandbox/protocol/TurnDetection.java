package dev.voicebus.realtime.sandbox.protocol;

/**
 * Effective turn detection settings ({@code server_vad} or {@code semantic_vad}, both served by the
 * energy VAD). Absent (null) means manual commits.
 */
public record TurnDetection(
    String type,
    double threshold,
    int prefixPaddingMs,
    int silenceDurationMs,
    boolean createResponse,
    boolean interruptResponse) {}
