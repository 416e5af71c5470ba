package dev.voicebus.realtime.client;

import dev.voicebus.realtime.event.ClientEvent;
import java.util.concurrent.CompletableFuture;

/** One open Realtime WebSocket session. Thread-safe: any thread may send or close. */
public interface RealtimeConnection {

  /** A short id for logs, unique within this process (e.g. {@code rt-42}). */
  String id();

  /** The URL this connection was opened to (it never contains the API key). */
  String url();

  /** True until a close was started by either side or the connection dropped. */
  boolean isOpen();

  /** True while the socket's outbound buffer is below its high-water mark (backpressure hint). */
  boolean isWritable();

  /**
   * Serializes {@code event} on the calling thread and queues it; never blocks. Events go on the
   * wire in the order of the calls, whichever threads make them (including listener callbacks). The
   * future completes when the frame is written to the socket, or exceptionally when the connection
   * is closed.
   *
   * @throws dev.voicebus.realtime.event.InvalidEventException if a required field is missing
   */
  CompletableFuture<Void> send(ClientEvent event);

  /**
   * Starts a close handshake with {@code code} (1000, 1001 or 3000-4999) and {@code reason}; the
   * TCP connection is dropped if the server does not answer within the close timeout. Idempotent.
   *
   * @return {@link #closeFuture()}
   */
  CompletableFuture<CloseStatus> close(int code, String reason);

  /** Normal closure (1000). */
  default CompletableFuture<CloseStatus> close() {
    return close(CloseStatus.NORMAL, "client closed");
  }

  /** Completes with the final close status when the connection has ended, however it ended. */
  CompletableFuture<CloseStatus> closeFuture();
}
