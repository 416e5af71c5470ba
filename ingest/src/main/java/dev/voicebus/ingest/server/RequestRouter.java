package dev.voicebus.ingest.server;

import dev.voicebus.ingest.auth.AuthDecision;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.auth.RequestAuthenticator;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.http.UploadHandler;
import dev.voicebus.ingest.stream.StreamHandler;
import dev.voicebus.ingest.twilio.TwilioMediaHandler;
import dev.voicebus.ingest.twilio.outbound.OutboundCallHandler;
import dev.voicebus.ingest.twilio.voice.VoiceWebhookHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first request of a connection, authenticates it, and installs the pipeline of the
 * endpoint: {@code /twilio/media} and {@code /v1/stream} (WebSocket upgrades), {@code POST
 * /v1/calls} (chunked upload), {@code POST /v1/calls/outbound} (place a call), each with the {@link
 * Caller} its credential proves, and {@code POST /twilio/voice} (Twilio's voice webhook, which
 * authenticates its signed form itself). Anything else gets 404; a failed authentication gets
 * 401/403 before the upgrade, so no audio is ever read from an unauthenticated peer. A complete
 * request lifts the {@link HeaderDeadline}.
 */
public final class RequestRouter extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

  public static final String TWILIO_PATH = "/twilio/media";
  public static final String STREAM_PATH = "/v1/stream";
  public static final String UPLOAD_PATH = "/v1/calls";
  public static final String OUTBOUND_PATH = "/v1/calls/outbound";
  public static final String VOICE_PATH = "/twilio/voice";

  /** Largest body of the voice webhook and of an outbound call request. */
  static final int MAX_FORM_BYTES = 16 * 1024;

  /** Longest request line and largest header block the codec reads. */
  static final int MAX_LINE = 4096;

  static final int MAX_HEADERS = 8192;

  private final IngestContext ctx;
  private final RequestAuthenticator auth;

  public RequestRouter(IngestContext ctx, RequestAuthenticator auth) {
    this.ctx = ctx;
    this.auth = auth;
  }

  @Override
  public void channelRead(ChannelHandlerContext channelCtx, Object msg) {
    if (!(msg instanceof HttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (request.decoderResult().isFailure()) {
      refuseMalformed(channelCtx, request);
      return;
    }
    if (channelCtx.pipeline().get(HeaderDeadline.NAME) != null) {
      channelCtx.pipeline().remove(HeaderDeadline.NAME);
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals(TWILIO_PATH) && request.method().equals(HttpMethod.GET)) {
      route(
          channelCtx,
          request,
          auth.twilio(request),
          caller -> installWebSocket(channelCtx, path, null, new TwilioMediaHandler(ctx, caller)));
    } else if (path.equals(STREAM_PATH) && request.method().equals(HttpMethod.GET)) {
      route(
          channelCtx,
          request,
          auth.bearer(request),
          caller ->
              installWebSocket(
                  channelCtx,
                  path,
                  RequestAuthenticator.STREAM_SUBPROTOCOL,
                  new StreamHandler(ctx, caller)));
    } else if (path.equals(UPLOAD_PATH) && request.method().equals(HttpMethod.POST)) {
      route(channelCtx, request, auth.bearer(request), caller -> installUpload(channelCtx, caller));
    } else if (path.equals(OUTBOUND_PATH) && request.method().equals(HttpMethod.POST)) {
      route(
          channelCtx,
          request,
          auth.bearer(request),
          caller -> installBody(channelCtx, new OutboundCallHandler(ctx, caller)));
    } else if (path.equals(VOICE_PATH)
        && request.method().equals(HttpMethod.POST)
        && ctx.config().telephony().voiceWebhook()) {
      installBody(channelCtx, new VoiceWebhookHandler(ctx, auth, ctx.twilio().streamTokens()));
      channelCtx.fireChannelRead(request);
      channelCtx.pipeline().remove(this);
    } else if (path.equals(VOICE_PATH)) {
      ReferenceCountUtil.release(msg);
      HttpReplies.errorAndClose(
          channelCtx.channel(),
          HttpResponseStatus.NOT_FOUND,
          "voice webhook disabled: set ingest.twilio.numbers (called number = tenant/profile)");
    } else {
      ReferenceCountUtil.release(msg);
      HttpReplies.errorAndClose(
          channelCtx.channel(),
          HttpResponseStatus.NOT_FOUND,
          "no endpoint " + request.method() + " " + path);
    }
  }

  /**
   * A request the codec could not read: too long a line or headers, bad syntax, or cut off by the
   * connection closing (as after the header deadline). Never routed; answered while still open.
   */
  private void refuseMalformed(ChannelHandlerContext channelCtx, HttpRequest request) {
    Throwable cause = request.decoderResult().cause();
    ReferenceCountUtil.release(request);
    if (!channelCtx.channel().isActive()) {
      return;
    }
    ctx.metrics().error("bad-request");
    HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
    String reason = "malformed HTTP request";
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      reason = "request line longer than " + MAX_LINE + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      reason = "request headers larger than " + MAX_HEADERS + " bytes";
    }
    log.debug(
        "Malformed request from {}: {}", channelCtx.channel().remoteAddress(), cause.toString());
    HttpReplies.errorAndClose(channelCtx.channel(), status, reason);
  }

  private void route(
      ChannelHandlerContext channelCtx,
      HttpRequest request,
      AuthDecision decision,
      Consumer<Caller> install) {
    if (!decision.allowed()) {
      ReferenceCountUtil.release(request);
      ctx.metrics().error("auth");
      log.warn(
          "Refused {} from {}: {}",
          LoggedUri.of(request.uri()),
          channelCtx.channel().remoteAddress(),
          decision.reason());
      HttpReplies.errorAndClose(channelCtx.channel(), decision.status(), decision.reason());
      channelCtx.channel().config().setAutoRead(false);
      return;
    }
    install.accept(decision.caller().orElseThrow());
    channelCtx.fireChannelRead(request);
    channelCtx.pipeline().remove(this);
  }

  /**
   * {@code subprotocol}: the one the endpoint selects when a client offers it (null: none), as a
   * browser presenting its token as a subprotocol must get one back.
   */
  private void installWebSocket(
      ChannelHandlerContext channelCtx, String path, String subprotocol, ChannelHandler handler) {
    var limits = ctx.config().limits();
    var wsConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(path)
            .subprotocols(subprotocol)
            .checkStartsWith(true)
            .handshakeTimeoutMillis(10_000)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(limits.maxFrameBytes())
                    .closeOnProtocolViolation(true)
                    .build())
            .build();
    ChannelPipeline p = channelCtx.pipeline();
    String name = channelCtx.name();
    p.addAfter(name, "aggregator", new HttpObjectAggregator(8192));
    p.addAfter("aggregator", "ws", new WebSocketServerProtocolHandler(wsConfig));
    p.addAfter("ws", "ws-aggregator", new WebSocketFrameAggregator(limits.maxMessageBytes()));
    p.addAfter("ws-aggregator", "idle", idleHandler());
    p.addAfter("idle", "call", handler);
  }

  /** A small request body read whole within the header deadline, then handled. */
  private void installBody(ChannelHandlerContext channelCtx, ChannelHandler handler) {
    ChannelPipeline p = channelCtx.pipeline();
    long deadlineMs = ctx.config().edge().requestHeaderTimeout().toMillis();
    p.addAfter(
        channelCtx.name(),
        "body-deadline",
        new ReadTimeoutHandler(deadlineMs, TimeUnit.MILLISECONDS));
    p.addAfter("body-deadline", "aggregator", new HttpObjectAggregator(MAX_FORM_BYTES));
    p.addAfter("aggregator", "call", handler);
  }

  private void installUpload(ChannelHandlerContext channelCtx, Caller caller) {
    ChannelPipeline p = channelCtx.pipeline();
    p.addAfter(channelCtx.name(), "idle", idleHandler());
    p.addAfter("idle", "call", new UploadHandler(ctx, caller));
  }

  private IdleStateHandler idleHandler() {
    long idleMs = ctx.config().limits().idleTimeout().toMillis();
    return new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext channelCtx, Throwable cause) {
    log.debug("Connection error before routing: {}", cause.toString());
    channelCtx.close();
  }
}
