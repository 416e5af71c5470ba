package dev.voicebus.ingest.twilio;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.CallHandlerSupport;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio Media Streams connection ({@code <Connect><Stream>}): {@code connected}, {@code
 * start}, {@code media}, {@code dtmf}, {@code mark}, {@code stop}, decoded by {@link TwilioCodec}.
 * A protocol error closes this connection with a code and reason and never touches another call.
 */
public final class TwilioMediaHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private static final Logger log = LoggerFactory.getLogger(TwilioMediaHandler.class);

  private final IngestContext ctx;
  private final CallHandlerSupport support;
  private final TwilioSequence sequence;
  private CallSession session;
  private boolean closing;

  public TwilioMediaHandler(IngestContext ctx) {
    this.ctx = ctx;
    this.support = new CallHandlerSupport(ctx, "twilio");
    this.sequence = new TwilioSequence(ctx.metrics());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
    if (closing) {
      return; // already refused or failed: ignore what the peer sent before seeing our close
    }
    try {
      if (!(frame instanceof TextWebSocketFrame)) {
        throw new ProtocolException(
            WsClose.UNSUPPORTED_DATA,
            "binary-frame",
            "Twilio Media Streams messages are JSON text frames");
      }
      handle(c, decode(frame.content()));
    } catch (ProtocolException e) {
      closing = true;
      support.protocolError(c, session, e);
    }
  }

  private static Inbound decode(ByteBuf content) {
    int length = content.readableBytes();
    byte[] json;
    int offset;
    if (content.hasArray()) {
      json = content.array();
      offset = content.arrayOffset() + content.readerIndex();
    } else {
      json = ByteBufUtil.getBytes(content, content.readerIndex(), length);
      offset = 0;
    }
    try {
      return TwilioCodec.decodeInbound(json, offset, length);
    } catch (TwilioMessageException e) {
      throw TwilioMessages.protocolError(e);
    }
  }

  private void handle(ChannelHandlerContext c, Inbound msg) {
    sequence.checkMessage(msg.sequenceNumber(), callId());
    if (msg instanceof Inbound.Media media) {
      onMedia(media);
    } else if (msg instanceof Inbound.Mark mark) {
      requireSession(mark.event()).onMarkEcho(mark.name());
    } else if (msg instanceof Inbound.Dtmf dtmf) {
      requireSession(dtmf.event()).onDtmf(TwilioMessages.digit(dtmf));
    } else if (msg instanceof Inbound.Start start) {
      onStart(c, start);
    } else if (msg instanceof Inbound.Stop) {
      onStop(c);
    } else if (msg instanceof Inbound.Connected connected) {
      log.debug("Twilio connected: protocol {}", connected.protocol());
    } else {
      throw TwilioMessages.unknownEvent(msg.event());
    }
  }

  private void onStart(ChannelHandlerContext c, Inbound.Start start) {
    if (session != null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "duplicate-start", "start sent twice");
    }
    var request = TwilioMessages.request(start);
    if (support.refuse(c, ctx.registry().tryReserve())) {
      closing = true;
      return;
    }
    session =
        CallSession.start(
            ctx,
            request,
            c.channel().eventLoop(),
            new TwilioCallChannel(c.channel(), start.streamSid()));
  }

  private void onMedia(Inbound.Media media) {
    CallSession call = requireSession("media");
    sequence.checkChunk(media.chunk(), call.callId());
    String track = media.track();
    if (!track.equals("inbound") && !track.equals("inbound_track")) {
      ctx.metrics().error("outbound-track");
      return;
    }
    byte[] audio = media.payload();
    call.onAudio(audio, 0, audio.length, System.currentTimeMillis());
  }

  private void onStop(ChannelHandlerContext c) {
    if (session != null) {
      session.end(CallEndReason.CALLER_HANGUP, "twilio stop");
    }
    WsClose.close(c.channel(), WsClose.NORMAL, "stream stopped");
  }

  private CallSession requireSession(String event) {
    if (session == null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "before-start", event + " before start");
    }
    return session;
  }

  private String callId() {
    return session == null ? "-" : session.callId();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object event) throws Exception {
    if (!support.idle(c, session, event)) {
      super.userEventTriggered(c, event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) throws Exception {
    support.inactive(session);
    super.channelInactive(c);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    support.exception(c, session, cause);
  }
}
