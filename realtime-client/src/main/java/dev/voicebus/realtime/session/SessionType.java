package dev.voicebus.realtime.session;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The required {@code session.type}: a speech-to-speech session or a transcription-only session.
 */
public enum SessionType {
  REALTIME("realtime"),
  TRANSCRIPTION("transcription");

  private final String wireName;

  SessionType(String wireName) {
    this.wireName = wireName;
  }

  /** The value as it appears in JSON. */
  @JsonValue
  public String wireName() {
    return wireName;
  }
}
