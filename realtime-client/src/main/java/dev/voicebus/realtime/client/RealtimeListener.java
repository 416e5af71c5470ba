package dev.voicebus.realtime.client;

import dev.voicebus.realtime.event.ServerEvent;

/**
 * Receives what happens on one {@link RealtimeConnection}. All callbacks of a connection run on its
 * Netty event loop thread, one at a time and in arrival order, so they must not block (hand heavy
 * work to another executor). Exceptions thrown by a callback are logged and do not close the
 * connection.
 */
public interface RealtimeListener {

  /**
   * One server event, in the order received. Unknown types arrive as {@code ServerEvent.Unknown}.
   */
  void onEvent(ServerEvent event);

  /**
   * The connection ended; called exactly once, after the last {@link #onEvent}. {@code code} is the
   * server's close code (e.g. 1001 at the 60-minute session cap), the echoed code of a client
   * close, or 1006 when the TCP connection dropped without a close frame.
   */
  void onClose(int code, String reason);

  /**
   * A problem that did not by itself end the connection (an undecodable frame) or that precedes
   * {@link #onClose} (an I/O error).
   */
  void onError(Throwable error);
}
