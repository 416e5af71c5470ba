package dev.voicebus.redaction.text;

/** Words that announce a sensitive value, found between {@code start} and {@code end}. */
public record Cue(CueKind kind, int start, int end) {}
