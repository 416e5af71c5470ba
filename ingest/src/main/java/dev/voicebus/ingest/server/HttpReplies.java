package dev.voicebus.ingest.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Small complete HTTP responses (errors, JSON bodies, metrics text). */
public final class HttpReplies {

  private HttpReplies() {}

  public static FullHttpResponse response(
      HttpResponseStatus status, String contentType, String body) {
    var response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  /** How long a refused request's remaining body is read and dropped before the socket closes. */
  public static final long LINGER_MS = 2_000;

  /**
   * Sends a JSON error body and closes gently, for a refused request whose body may still be on its
   * way: after the response, this side of the connection is shut down and whatever the client still
   * sends is read and dropped for up to {@link #LINGER_MS}, then the socket closes. Closing at once
   * with unread data would reset the connection, and the client could lose the response.
   */
  public static void errorAndLinger(Channel channel, HttpResponseStatus status, String reason) {
    var body = "{\"error\":" + Json.quote(reason) + "}\n";
    var response = response(status, "application/json", body);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    channel
        .writeAndFlush(response)
        .addListener(
            f -> {
              if (!f.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
              }
              duplex.shutdownOutput();
              channel.config().setAutoRead(true);
              channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
            });
  }

  /** Sends a JSON error body {@code {"error": reason}} and closes the connection. */
  public static ChannelFuture errorAndClose(
      Channel channel, HttpResponseStatus status, String reason) {
    var body = "{\"error\":" + Json.quote(reason) + "}\n";
    var response = response(status, "application/json", body);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
