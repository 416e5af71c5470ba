package dev.voicebus.ingest.call;

/** Totals of one call once every record it published has been acknowledged (or failed). */
public record CallSummary(
    String callId, long records, long bytes, long lastSeq, long audioMs, boolean allPublished) {}
