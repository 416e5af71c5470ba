package dev.voicebus.ingest.admin;

import dev.voicebus.ingest.server.HttpReplies;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * {@code GET /healthz} (the process serves), {@code GET /readyz} (ready for new calls: Kafka
 * healthy, playback consumer running, not draining) and {@code GET /metrics} (Prometheus text).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final IngestMetrics metrics;
  private final Readiness readiness;

  AdminHandler(IngestMetrics metrics, Readiness readiness) {
    this.metrics = metrics;
    this.readiness = readiness;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    FullHttpResponse response;
    if (!request.method().equals(HttpMethod.GET)) {
      response =
          HttpReplies.response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
    } else {
      response =
          switch (path) {
            case "/healthz" -> HttpReplies.response(HttpResponseStatus.OK, "text/plain", "ok\n");
            case "/readyz" ->
                readiness
                    .problem()
                    .map(
                        p ->
                            HttpReplies.response(
                                HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", p + "\n"))
                    .orElseGet(
                        () -> HttpReplies.response(HttpResponseStatus.OK, "text/plain", "ready\n"));
            case "/metrics" ->
                HttpReplies.response(HttpResponseStatus.OK, PROMETHEUS, metrics.scrape());
            default ->
                HttpReplies.response(HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
          };
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
