package dev.voicebus.realtime.client;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Pipeline of one Realtime connection: TLS (for {@code wss}, with SNI and host name verification),
 * HTTP client codec for the upgrade, Netty's WebSocket client protocol handler, frame aggregation
 * for large/fragmented server messages, then {@link RealtimeFrameHandler}.
 */
final class RealtimeChannelInitializer extends ChannelInitializer<SocketChannel> {

  /** Upgrade responses (including OpenAI's JSON error bodies) are small. */
  private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 64 * 1024;

  private final NettyRealtimeConnection connection;
  private final WebSocketClientProtocolConfig protocolConfig;
  private final Endpoint endpoint;
  private final Shared shared;

  RealtimeChannelInitializer(
      NettyRealtimeConnection connection,
      WebSocketClientProtocolConfig protocolConfig,
      Endpoint endpoint,
      Shared shared) {
    this.connection = connection;
    this.protocolConfig = protocolConfig;
    this.endpoint = endpoint;
    this.shared = shared;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connection.attach(ch);
    ChannelPipeline p = ch.pipeline();
    if (endpoint.secure()) {
      p.addLast("tls", tlsHandler(ch));
    }
    p.addLast("http", new HttpClientCodec());
    p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
    p.addLast("upgrade-status", new HandshakeResponseHandler(connection, shared.apiKey()));
    p.addLast("websocket", new WebSocketClientProtocolHandler(protocolConfig));
    p.addLast("ws-aggregator", new WebSocketFrameAggregator(shared.maxFrameBytes()));
    p.addLast("realtime", new RealtimeFrameHandler(connection));
  }

  private SslHandler tlsHandler(SocketChannel ch) {
    SslHandler handler =
        shared.sslContext().newHandler(ch.alloc(), endpoint.host(), endpoint.port());
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    return handler;
  }

  /** Host and port to dial, and whether to use TLS. */
  record Endpoint(String host, int port, boolean secure) {}

  /** Settings shared by all connections of one client. */
  record Shared(SslContext sslContext, int maxFrameBytes, ApiKey apiKey) {}
}
