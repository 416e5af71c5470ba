package dev.voicebus.ingest.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

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

  /** Sends a JSON error body {@code {"error": reason}} and closes the connection. */
  public static ChannelFuture errorAndClose(
      Channel channel, HttpResponseStatus status, String reason) {
    var body = "{\"error\":" + Json.quote(reason) + "}\n";
    var response = response(status, "application/json", body);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
