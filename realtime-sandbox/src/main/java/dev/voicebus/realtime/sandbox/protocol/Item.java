package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One conversation item as the sandbox keeps it: its wire JSON without audio bytes (so memory stays
 * small), its kind, and for assistant audio the milliseconds of audio sent, which bounds {@code
 * conversation.item.truncate}.
 */
public final class Item {
  /** What an item is, as far as the protocol rules care. */
  public enum Kind {
    USER_AUDIO,
    USER_TEXT,
    ASSISTANT_AUDIO,
    ASSISTANT_TEXT,
    SYSTEM,
    FUNCTION_CALL,
    FUNCTION_CALL_OUTPUT,
    OTHER
  }

  private final String id;
  private final Kind kind;
  private final ObjectNode json;
  private long audioMs;
  private long totalAudioMs;

  public Item(String id, Kind kind, ObjectNode json) {
    this.id = id;
    this.kind = kind;
    this.json = json;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** The item as sent in events (shared; mutated only on the session's event loop). */
  public ObjectNode json() {
    return json;
  }

  /** Milliseconds of audio the client has been sent for this item (assistant audio only). */
  public long audioMs() {
    return audioMs;
  }

  /** Total audio planned for this item (the whole reply), for transcript truncation. */
  public long totalAudioMs() {
    return totalAudioMs;
  }

  void addAudio(long ms) {
    audioMs += ms;
  }

  void plannedAudio(long ms) {
    totalAudioMs = ms;
  }

  /** Cuts the audio to {@code ms} (truncate). */
  void truncateAudio(long ms) {
    audioMs = ms;
  }
}
