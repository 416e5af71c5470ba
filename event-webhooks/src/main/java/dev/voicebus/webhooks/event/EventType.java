package dev.voicebus.webhooks.event;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of call event an endpoint can subscribe to, by the {@code type} they carry on the wire
 * ({@code call.started}, ...). The module README documents the payload of each.
 */
public enum EventType {
  CALL_STARTED("call.started"),
  CALL_ENDED("call.ended"),
  CALL_TRANSFERRED("call.transferred"),
  CALL_SUMMARY("call.summary"),
  CALL_ERROR("call.error"),
  RECORDING_READY("recording.ready"),
  TOOL_FAILED("tool.failed");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code type} of the payload, e.g. {@code call.ended}. */
  public String wireName() {
    return wireName;
  }

  /** The type named {@code name} on the wire, if there is one. */
  public static Optional<EventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** Every wire name, comma-separated, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
