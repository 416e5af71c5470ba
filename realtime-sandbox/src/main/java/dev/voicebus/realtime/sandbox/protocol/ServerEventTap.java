package dev.voicebus.realtime.sandbox.protocol;

/**
 * Observes every server event exactly as written to the socket; tests use it to validate the wire
 * JSON against OpenAI's schemas. Called on session event loops, so it must be thread-safe and fast.
 */
@FunctionalInterface
public interface ServerEventTap {
  /** Does nothing (the default). */
  ServerEventTap NONE = (sessionId, json) -> {};

  void onServerEvent(String sessionId, String json);
}
