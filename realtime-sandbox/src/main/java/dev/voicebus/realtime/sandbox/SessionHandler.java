package dev.voicebus.realtime.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.protocol.EventSink;
import dev.voicebus.realtime.sandbox.protocol.Ids;
import dev.voicebus.realtime.sandbox.protocol.RealtimeSession;
import dev.voicebus.realtime.sandbox.protocol.ServerEventTap;
import dev.voicebus.realtime.sandbox.protocol.SessionOptions;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.sandbox.sip.SipAttachment;
import dev.voicebus.realtime.sandbox.sip.SipEmulator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds one WebSocket connection to one {@link RealtimeSession}: creates it when the handshake
 * completes, feeds it text frames and writes its events back as text frames. It is the session's
 * {@link EventSink}, so the protocol code never touches Netty. A {@code ?call_id=} connection is a
 * SIP call's sideband socket instead: it attaches to the call's session, which lives on the call's
 * event loop and writes to this socket from there (writes and closes are thread-safe).
 */
final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int BETA_CLOSE_CODE = 4000;

  private final SessionOptions options;
  private final SessionRegistry registry;
  private final SipEmulator sip;
  private ChannelHandlerContext ctx;
  private RealtimeSession session;
  private SessionRecord record;
  private SipAttachment sideband;
  private volatile boolean closing;

  SessionHandler(SessionOptions options, SessionRegistry registry, SipEmulator sip) {
    this.options = options;
    this.registry = registry;
    this.sip = sip;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof HandshakeComplete)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (Boolean.TRUE.equals(ctx.channel().attr(HandshakeGuard.BETA).get())) {
      rejectBetaShape();
      return;
    }
    registry.channels().add(ctx.channel());
    String callId = ctx.channel().attr(HandshakeGuard.CALL_ID).get();
    if (callId != null) {
      sideband = sip.attach(callId, this).orElse(null);
      if (sideband == null) {
        close(1000, "call ended");
      }
      LOG.debug("sideband of {} opened from {}", callId, ctx.channel().remoteAddress());
      return;
    }
    String sessionId = Ids.next(Ids.SESSION);
    record = new SessionRecord(sessionId, options.recordCap());
    registry.opened(record, this);
    session =
        new RealtimeSession(
            sessionId, ctx.channel().attr(HandshakeGuard.MODEL).get(), options, record, this);
    LOG.debug("{} opened from {}", sessionId, ctx.channel().remoteAddress());
    session.open();
  }

  private void rejectBetaShape() {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("type", "error");
    e.put("event_id", Ids.next(Ids.EVENT));
    ObjectNode err = e.putObject("error");
    err.put("type", "invalid_request_error");
    err.put("code", "beta_api_shape_disabled");
    err.put(
        "message",
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.");
    err.putNull("param");
    err.putNull("event_id");
    send(e);
    close(BETA_CLOSE_CODE, "invalid_request_error.beta_api_shape_disabled");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (sideband != null && !closing && frame instanceof TextWebSocketFrame text) {
      sideband.text(text.text());
      return;
    }
    if (session == null || closing) {
      return;
    }
    if (frame instanceof TextWebSocketFrame text) {
      session.onText(text.text());
    } else {
      LOG.debug(
          "{} ignoring non-text frame {}", record.sessionId(), frame.getClass().getSimpleName());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (sideband != null) {
      sideband.closed();
      LOG.debug("sideband of {} closed", sideband.callId());
    }
    if (session != null) {
      session.closed();
      registry.closed(record);
      LOG.debug("{} closed", record.sessionId());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String id = record == null ? "-" : record.sessionId();
    LOG.warn("{} connection error, closing: {}", id, cause.toString());
    ctx.close();
  }

  @Override
  public void send(ObjectNode event) {
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    if (options.tap() != ServerEventTap.NONE) {
      String json = event.toString();
      options.tap().onServerEvent(record == null ? null : record.sessionId(), json);
      ctx.writeAndFlush(new TextWebSocketFrame(json), ctx.voidPromise());
      return;
    }
    ByteBuf buf = ctx.alloc().buffer();
    try (OutputStream out = new ByteBufOutputStream(buf)) {
      MAPPER.writeValue(out, event);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException("Cannot serialize server event " + event.get("type"), e);
    }
    ctx.writeAndFlush(new TextWebSocketFrame(buf), ctx.voidPromise());
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void drop() {
    closing = true;
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.channel().close();
  }

  @Override
  public boolean writable() {
    return ctx.channel().isWritable();
  }

  @Override
  public ScheduledExecutorService executor() {
    return ctx.channel().eventLoop();
  }
}
