package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a session's server events go, and how it ends: implemented by the Netty handler over the
 * WebSocket. All calls happen on {@link #executor()}, the channel's event loop.
 */
public interface EventSink {
  /** Serializes and writes one server event. */
  void send(ObjectNode event);

  /** Sends a close frame with {@code code} and {@code reason}, then closes the connection. */
  void close(int code, String reason);

  /** Drops the TCP connection without a close frame. */
  void drop();

  /** False while the socket's outbound buffer is above its high-water mark (a slow reader). */
  boolean writable();

  /** The session's event loop, for timers. */
  ScheduledExecutorService executor();
}
