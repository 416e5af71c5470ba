package dev.voicebus.realtime.sandbox.fault;

/** How a fault ends a session; implemented by the session over its socket. */
public interface SessionCloser {
  /** Close frame with {@code code} and {@code reason}. */
  void close(int code, String reason);

  /** TCP drop without a close frame. */
  void drop();
}
