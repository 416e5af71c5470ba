package dev.voicebus.realtime.session;

/**
 * Reasoning settings for models that accept them ({@code effort}: minimal, low, medium, high,
 * xhigh). Omit for models that do not reason.
 */
public record Reasoning(String effort) {}
