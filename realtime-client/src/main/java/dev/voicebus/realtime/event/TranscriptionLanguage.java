package dev.voicebus.realtime.event;

/** A language detected in transcribed audio (ISO-639-1 {@code code}, e.g. {@code en}). */
public record TranscriptionLanguage(String code) {}
