package dev.voicebus.ingest.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/** The admin HTTP listener on its own port (kept off the public call port). */
public final class AdminServer implements AutoCloseable {

  private final Channel channel;

  public AdminServer(
      EventLoopGroup boss,
      EventLoopGroup workers,
      String host,
      int port,
      IngestMetrics metrics,
      Readiness readiness)
      throws InterruptedException {
    this.channel =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(4096))
                        .addLast(new AdminHandler(metrics, readiness));
                  }
                })
            .bind(host, port)
            .sync()
            .channel();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
