package dev.voicebus.launcher.bench;

import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.worker.config.ProfileCatalog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/**
 * The benchmark's baseline: a Netty WebSocket server speaking Twilio Media Streams on ingest's path
 * ({@code /twilio/media}) that opens one Realtime session per call with the project's {@link
 * RealtimeClient} and bridges audio both ways with the worker's session configuration, answering
 * tools in-process. No Kafka, no state, no failover; it does not check Twilio signatures.
 */
public final class DirectBridge implements AutoCloseable {

  /** The WebSocket path, the same as ingest's. */
  public static final String PATH = "/twilio/media";

  private final EventLoopGroup group;
  private final RealtimeClient realtime;
  private final BridgeMeters meters = new BridgeMeters();
  private final Channel server;

  private DirectBridge(URI realtimeUri, int port) throws InterruptedException {
    this.realtime =
        new RealtimeClient(
            RealtimeClientConfig.defaults(ApiKey.of("sk-bridge")).withBaseUri(realtimeUri));
    this.group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    var profiles = ProfileCatalog.load(Optional.empty()).withCatalogue(BridgeTools::catalogue);
    var tools = new BridgeTools();
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65_536))
                        .addLast(new WebSocketServerProtocolHandler(PATH, null, false, 65_536))
                        .addLast(new BridgeCall(realtime, profiles, tools, meters));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
  }

  /**
   * Starts the bridge on 127.0.0.1:{@code port} (0 for any free port) towards {@code realtimeUri}.
   */
  public static DirectBridge start(URI realtimeUri, int port) throws InterruptedException {
    return new DirectBridge(realtimeUri, port);
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The URL callers connect to. */
  public URI url() {
    return URI.create("ws://127.0.0.1:" + port() + PATH);
  }

  public BridgeMeters meters() {
    return meters;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    realtime.close();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
