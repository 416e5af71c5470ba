package dev.voicebus.realtime.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of a Realtime pipeline: reports handshake outcome, decodes text frames into events,
 * tracks close frames and turns the channel's end into exactly one {@code onClose}.
 */
final class RealtimeFrameHandler extends ChannelInboundHandlerAdapter {

  private final NettyRealtimeConnection connection;

  RealtimeFrameHandler(NettyRealtimeConnection connection) {
    this.connection = connection;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      connection.handshakeComplete();
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      connection.handshakeFailed(
          new RealtimeConnectException(
              connection.url(),
              "no WebSocket upgrade response within the handshake timeout",
              null));
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame text) {
        connection.onText(text.text());
      } else if (msg instanceof CloseWebSocketFrame close) {
        connection.onCloseFrame(close.statusCode(), close.reasonText());
      } else if (msg instanceof WebSocketFrame frame) {
        connection.onUnexpected(
            new IllegalStateException(
                "unexpected " + frame.getClass().getSimpleName() + " from the Realtime server"));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof WebSocketClientHandshakeException handshake
        && handshake.response() != null) {
      connection.handshakeFailed(
          new RealtimeHandshakeException(
              connection.url(),
              handshake.response().status().code(),
              handshake.response().status().reasonPhrase(),
              ApiKey.redactKeyLike(handshake.getMessage())));
      return;
    }
    connection.onFailure(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.channelClosed();
    ctx.fireChannelInactive();
  }
}
