package dev.voicebus.realtime.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A tiny WebSocket server on 127.0.0.1 for client tests, built from Netty's own server protocol
 * handler. It records upgrade requests, text frames and close frames it receives, can reject the
 * upgrade with an HTTP status and body, and exposes the accepted channels so a test can push
 * frames, send a close frame or drop the TCP connection.
 */
final class TestWebSocketServer implements AutoCloseable {

  /** What the server saw in one upgrade request. */
  record Upgrade(String uri, HttpHeaders headers) {}

  final BlockingQueue<Upgrade> upgrades = new LinkedBlockingQueue<>();
  final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  final BlockingQueue<CloseStatus> closeFrames = new LinkedBlockingQueue<>();
  final BlockingQueue<Channel> sessions = new LinkedBlockingQueue<>();

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final boolean secure;
  private volatile int rejectStatus;
  private volatile String rejectBody = "";
  private volatile String greeting;

  TestWebSocketServer(SslContext ssl) throws InterruptedException {
    secure = ssl != null;
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    pipeline(ch, ssl);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  TestWebSocketServer() throws InterruptedException {
    this(null);
  }

  /** Base URI for the client config, e.g. {@code ws://127.0.0.1:1234/v1}. */
  URI baseUri() {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    return URI.create((secure ? "wss" : "ws") + "://127.0.0.1:" + port + "/v1");
  }

  /** Answer every upgrade with this HTTP status and body instead of 101. */
  void rejectWith(int status, String body) {
    rejectBody = body;
    rejectStatus = status;
  }

  /** Send this text frame as soon as a session is established. */
  void greetWith(String text) {
    greeting = text;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void pipeline(SocketChannel ch, SslContext ssl) {
    ChannelPipeline p = ch.pipeline();
    if (ssl != null) {
      p.addLast(ssl.newHandler(ch.alloc()));
    }
    p.addLast(new HttpServerCodec());
    p.addLast(new HttpObjectAggregator(65536));
    p.addLast(new UpgradeGate());
    p.addLast(
        new WebSocketServerProtocolHandler(
            WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/v1/realtime")
                .checkStartsWith(true)
                .maxFramePayloadLength(4 * 1024 * 1024)
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .build()));
    p.addLast(new FrameRecorder());
  }

  /** Records the upgrade request, or rejects it with the configured status. */
  private final class UpgradeGate extends SimpleChannelInboundHandler<FullHttpRequest> {
    UpgradeGate() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      upgrades.add(new Upgrade(request.uri(), request.headers().copy()));
      if (rejectStatus == 0) {
        ctx.fireChannelRead(request);
        return;
      }
      request.release();
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(rejectStatus),
              Unpooled.copiedBuffer(rejectBody, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Records frames and publishes the session channel once the handshake completed. */
  private final class FrameRecorder extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        if (greeting != null) {
          ctx.writeAndFlush(new TextWebSocketFrame(greeting));
        }
        sessions.add(ctx.channel());
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        texts.add(text.text());
      } else if (frame instanceof CloseWebSocketFrame close) {
        closeFrames.add(new CloseStatus(close.statusCode(), close.reasonText()));
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
