package dev.voicebus.ingest.server;

import dev.voicebus.ingest.auth.RequestAuthenticator;
import dev.voicebus.ingest.call.IngestContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * The pipeline of every call connection: the connection caps, the request-header deadline, optional
 * TLS, the HTTP codec (request line and headers bounded in size), and the {@link RequestRouter}
 * that installs the endpoint's handlers after authentication.
 */
public final class IngestChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final IngestContext ctx;
  private final RequestAuthenticator auth;
  private final Optional<SslContext> ssl;
  private final ConnectionLimiter limiter;

  public IngestChannelInitializer(
      IngestContext ctx,
      RequestAuthenticator auth,
      Optional<SslContext> ssl,
      ConnectionLimiter limiter) {
    this.ctx = ctx;
    this.auth = auth;
    this.ssl = ssl;
    this.limiter = limiter;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast("limits", limiter);
    ch.pipeline()
        .addLast(
            HeaderDeadline.NAME,
            new HeaderDeadline(ctx.config().edge().requestHeaderTimeout(), ctx.metrics()));
    ssl.ifPresent(s -> ch.pipeline().addLast("tls", s.newHandler(ch.alloc())));
    ch.pipeline()
        .addLast(
            "http",
            new HttpServerCodec(RequestRouter.MAX_LINE, RequestRouter.MAX_HEADERS, 16 * 1024));
    ch.pipeline().addLast("router", new RequestRouter(ctx, auth));
  }
}
