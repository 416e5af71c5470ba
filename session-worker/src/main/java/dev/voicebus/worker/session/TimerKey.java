package dev.voicebus.worker.session;

/** The timers a call sets; a new timer replaces a pending one of the same key. */
public sealed interface TimerKey {

  /** A tool's result is due. */
  record ToolDeadline(String toolCallId) implements TimerKey {}

  /** The timers a call has one of at most. */
  enum Call implements TimerKey {
    /** Backoff before the next attempt to open a lost session. */
    RECONNECT,
    /** The session nears OpenAI's cap: replace it at the next pause between turns. */
    ROTATION,
    /** The call reaches {@code worker.max-call-duration}. */
    MAX_DURATION,
    /** Check whether the caller's audio stopped for {@code worker.call-idle-timeout}. */
    IDLE_CHECK,
    /** A keypad entry ends after the profile's inter-digit timeout without a key. */
    KEYPAD
  }
}
