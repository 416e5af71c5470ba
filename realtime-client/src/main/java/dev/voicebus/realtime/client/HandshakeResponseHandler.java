package dev.voicebus.realtime.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Turns a non-101 answer to the WebSocket upgrade into a {@link RealtimeHandshakeException} that
 * names the status and carries the start of the (redacted) body, which Netty's handshaker drops.
 * Removes itself once the upgrade succeeds.
 */
final class HandshakeResponseHandler extends ChannelInboundHandlerAdapter {

  private static final int MAX_BODY_CHARS = 500;

  private final NettyRealtimeConnection connection;
  private final ApiKey apiKey;

  HandshakeResponseHandler(NettyRealtimeConnection connection, ApiKey apiKey) {
    this.connection = connection;
    this.apiKey = apiKey;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpResponse response)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HttpResponseStatus status = response.status();
    if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      String body = redact(response.content().toString(StandardCharsets.UTF_8));
      connection.handshakeFailed(
          new RealtimeHandshakeException(
              connection.url(), status.code(), status.reasonPhrase(), body));
    } finally {
      response.release();
    }
  }

  private String redact(String body) {
    String text = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
    text = text.replaceAll("\\s+", " ").strip();
    return apiKey == null ? ApiKey.redactKeyLike(text) : apiKey.redact(text);
  }
}
