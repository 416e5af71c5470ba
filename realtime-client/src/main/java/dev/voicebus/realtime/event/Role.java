package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The role of a message item. */
public enum Role {
  SYSTEM("system"),
  USER("user"),
  ASSISTANT("assistant");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The value as it appears in JSON. */
  @JsonValue
  public String wireName() {
    return wireName;
  }
}
