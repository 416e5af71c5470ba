package dev.voicebus.realtime.client;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.RealtimeJson;
import dev.voicebus.realtime.event.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RealtimeConnection} over one Netty channel. Sending is thread-safe; everything that
 * touches close state or calls the listener runs on the channel's event loop.
 */
final class NettyRealtimeConnection implements RealtimeConnection {

  private static final Logger LOG = LoggerFactory.getLogger(NettyRealtimeConnection.class);

  private final String id;
  private final String url;
  private final RealtimeListener listener;
  private final RealtimeJson json;
  private final long closeTimeoutMillis;
  private final CompletableFuture<RealtimeConnection> opened = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

  /** Set once by the channel initializer, before any I/O. */
  private volatile Channel channel;

  private volatile boolean open;
  // Event-loop confined:
  private boolean established;
  private boolean closeSent;
  private CloseStatus received;
  private CloseStatus sent;
  private Throwable failure;

  NettyRealtimeConnection(
      String id,
      String url,
      RealtimeListener listener,
      RealtimeJson json,
      long closeTimeoutMillis) {
    this.id = id;
    this.url = url;
    this.listener = listener;
    this.json = json;
    this.closeTimeoutMillis = closeTimeoutMillis;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public CompletableFuture<Void> send(ClientEvent event) {
    if (!open) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("Realtime connection " + id + " is closed"));
    }
    ByteBuf buffer = channel.alloc().buffer(256);
    try {
      json.write(event, new ByteBufOutputStream(buffer));
    } catch (RuntimeException e) {
      buffer.release();
      throw e;
    }
    CompletableFuture<Void> written = new CompletableFuture<>();
    var frame = new TextWebSocketFrame(buffer);
    // Always through the event loop's task queue, even when called on the event loop: a write
    // made directly there would overtake writes other threads queued earlier (a caller that sends
    // a function_call_output from its own thread and response.create from a listener callback
    // must see them arrive in that order).
    try {
      channel
          .eventLoop()
          .execute(
              () ->
                  channel
                      .writeAndFlush(frame)
                      .addListener(
                          f -> {
                            if (f.isSuccess()) {
                              written.complete(null);
                            } else {
                              written.completeExceptionally(f.cause());
                            }
                          }));
    } catch (RejectedExecutionException e) {
      frame.release();
      written.completeExceptionally(
          new IllegalStateException("Realtime connection " + id + " is shutting down", e));
    }
    return written;
  }

  @Override
  public CompletableFuture<CloseStatus> close(int code, String reason) {
    if (!WebSocketCloseStatus.isValidStatusCode(code)) {
      throw new IllegalArgumentException(
          "close code " + code + " is not valid: use 1000, 1001 or 3000-4999");
    }
    Channel ch = channel;
    if (ch != null) {
      ch.eventLoop().execute(() -> startClose(code, reason));
    }
    return closed;
  }

  @Override
  public CompletableFuture<CloseStatus> closeFuture() {
    return closed;
  }

  CompletableFuture<RealtimeConnection> opened() {
    return opened;
  }

  /** Binds the channel; called once from the channel initializer, before any I/O. */
  void attach(Channel ch) {
    channel = ch;
  }

  /** The TCP connect failed (no channel events will follow). */
  void connectFailed(Throwable cause) {
    String reason = ApiKey.redactKeyLike(String.valueOf(cause.getMessage()));
    opened.completeExceptionally(new RealtimeConnectException(url, reason, cause));
    closed.complete(new CloseStatus(CloseStatus.ABNORMAL, "connect failed"));
  }

  // ---- called by RealtimeFrameHandler on the event loop ----

  void handshakeComplete() {
    if (opened.isDone()) {
      // Already failed (e.g. timed out); nobody holds this connection.
      channel.close();
      return;
    }
    established = true;
    open = true;
    LOG.info("Realtime connection {} open to {}", id, url);
    opened.complete(this);
  }

  void handshakeFailed(RealtimeConnectException error) {
    if (opened.completeExceptionally(error)) {
      LOG.warn("Realtime connection {} not established: {}", id, error.getMessage());
    }
    channel.close();
  }

  void onText(String text) {
    ServerEvent event;
    try {
      event = json.parseServerEvent(text);
    } catch (RuntimeException e) {
      notifyError(e);
      return;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("Realtime connection {}: listener failed on {}", id, event.type(), e);
    }
  }

  void onCloseFrame(int code, String reason) {
    open = false;
    received = new CloseStatus(code < 0 ? CloseStatus.NO_STATUS : code, reason);
    if (closeSent) {
      channel.close();
      return;
    }
    closeSent = true;
    CloseWebSocketFrame echo =
        code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason);
    channel.writeAndFlush(echo).addListener(f -> channel.close());
  }

  void onUnexpected(Throwable problem) {
    notifyError(problem);
  }

  void onFailure(Throwable cause) {
    if (!established) {
      handshakeFailed(
          new RealtimeConnectException(url, ApiKey.redactKeyLike(String.valueOf(cause)), cause));
      return;
    }
    failure = cause;
    notifyError(cause);
    channel.close();
  }

  void channelClosed() {
    open = false;
    if (!established) {
      handshakeFailed(
          new RealtimeConnectException(url, "connection closed during the handshake", null));
      closed.complete(new CloseStatus(CloseStatus.ABNORMAL, "handshake failed"));
      return;
    }
    CloseStatus status = finalStatus();
    LOG.info("Realtime connection {} closed: {} {}", id, status.code(), status.reason());
    try {
      listener.onClose(status.code(), status.reason());
    } catch (RuntimeException e) {
      LOG.warn("Realtime connection {}: listener failed in onClose", id, e);
    }
    closed.complete(status);
  }

  private CloseStatus finalStatus() {
    if (received != null) {
      return received;
    }
    if (sent != null && failure == null) {
      return sent;
    }
    String reason =
        failure == null
            ? "connection closed without a close frame"
            : "connection lost: " + failure.getMessage();
    return new CloseStatus(CloseStatus.ABNORMAL, reason);
  }

  private void startClose(int code, String reason) {
    if (closeSent || !channel.isActive()) {
      return;
    }
    if (!established) {
      // No WebSocket yet, so no close frame to send: abandon the handshake.
      channel.close();
      return;
    }
    closeSent = true;
    open = false;
    sent = new CloseStatus(code, reason);
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    channel.eventLoop().schedule(() -> channel.close(), closeTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void notifyError(Throwable error) {
    try {
      listener.onError(error);
    } catch (RuntimeException e) {
      LOG.warn("Realtime connection {}: listener failed in onError", id, e);
    }
  }

  @Override
  public String toString() {
    return "RealtimeConnection[id=" + id + ", url=" + url + ", open=" + open + "]";
  }
}
