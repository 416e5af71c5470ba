package dev.voicebus.realtime.sandbox;

import dev.voicebus.realtime.sandbox.protocol.SessionOptions;
import dev.voicebus.realtime.sandbox.sip.SipEmulator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.util.Set;

/**
 * The sandbox pipeline: HTTP codec, the plain HTTP endpoints (the calls API of SIP calls, the SIP
 * development hook), upgrade request checks (and {@code /healthz}), Netty's WebSocket server
 * protocol handler on {@code /v1/realtime} (query string allowed, subprotocol {@code realtime} for
 * browser clients), frame aggregation up to the 15 MiB audio limit in base64, and the session
 * handler.
 */
final class SandboxInitializer extends ChannelInitializer<SocketChannel> {
  /** 15 MiB of audio is 20 MiB in base64, plus the JSON envelope. */
  private static final int MAX_MESSAGE_BYTES = 21 * 1024 * 1024;

  /** An upgrade request or a calls API body (a session configuration with its tools). */
  private static final int MAX_REQUEST_BYTES = 1024 * 1024;

  private final SessionOptions options;
  private final SessionRegistry registry;
  private final SipEmulator sip;
  private final Set<String> rejectedKeys;
  private final SandboxAuth auth;
  private final WebSocketServerProtocolConfig wsConfig;
  private final SslContext sslContext;

  /** {@code sslContext} is null for plain {@code ws://}. */
  SandboxInitializer(
      SessionOptions options,
      SessionRegistry registry,
      Set<String> rejectedKeys,
      SandboxAuth auth,
      SslContext sslContext,
      SipEmulator sip) {
    this.sip = sip;
    this.auth = auth;
    this.options = options;
    this.sslContext = sslContext;
    this.registry = registry;
    this.rejectedKeys = rejectedKeys;
    this.wsConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(HandshakeGuard.PATH)
            .checkStartsWith(true)
            .subprotocols("realtime")
            // Closes are explicit (fault codes, session cap); a drop must not send a frame.
            .sendCloseFrame(null)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                    .allowExtensions(false)
                    .build())
            .build();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    if (sslContext != null) {
      p.addLast("tls", sslContext.newHandler(ch.alloc()));
    }
    p.addLast("http", new HttpServerCodec());
    p.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
    HandshakeGuard guard = new HandshakeGuard(rejectedKeys, auth, sip);
    p.addLast("routes", new SandboxHttpRouter(sip, guard));
    p.addLast("guard", guard);
    p.addLast("websocket", new WebSocketServerProtocolHandler(wsConfig));
    p.addLast("frames", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
    p.addLast("session", new SessionHandler(options, registry, sip));
  }
}
