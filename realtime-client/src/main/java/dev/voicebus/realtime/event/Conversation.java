package dev.voicebus.realtime.event;

/** The conversation of a session ({@code conversation.created}). */
public record Conversation(String id, String object) {}
