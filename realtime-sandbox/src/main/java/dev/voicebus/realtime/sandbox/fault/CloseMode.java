package dev.voicebus.realtime.sandbox.fault;

/** How an injected fault ends a session: with a WebSocket close frame, or by dropping TCP. */
public enum CloseMode {
  /** Send a close frame with the configured code, then close the socket. */
  CLOSE_FRAME,
  /** Close the TCP connection without a close frame (an abrupt drop, like a network failure). */
  DROP
}
