package dev.voicebus.ingest.server;

import dev.voicebus.ingest.admin.IngestMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline for a new connection's request line and headers ({@code
 * ingest.request-header-timeout}), counted from the moment it is accepted: unlike an idle timeout
 * it is not reset by each byte, so a client dripping its headers slowly (slowloris) is closed as
 * surely as a silent one. The {@link RequestRouter} removes it once the request is complete; if it
 * fires first, the client gets 408 and the connection is closed.
 */
public final class HeaderDeadline extends ChannelInboundHandlerAdapter {

  public static final String NAME = "header-deadline";

  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  private final Duration timeout;
  private final IngestMetrics metrics;
  private ScheduledFuture<?> deadline;

  public HeaderDeadline(Duration timeout, IngestMetrics metrics) {
    this.timeout = timeout;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        ctx.executor().schedule(() -> expire(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  private void expire(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    metrics.error("header-timeout");
    log.debug("Closing {}: request headers not complete in time", ctx.channel().remoteAddress());
    ctx.channel().config().setAutoRead(false);
    HttpReplies.errorAndClose(
        ctx.channel(),
        HttpResponseStatus.REQUEST_TIMEOUT,
        "request line and headers not received within " + timeout.toMillis() + " ms");
    // The 408 may never leave (TLS handshake unfinished, a client that does not read): close
    // anyway.
    ctx.executor().schedule(() -> ctx.channel().close(), 1, TimeUnit.SECONDS);
  }
}
