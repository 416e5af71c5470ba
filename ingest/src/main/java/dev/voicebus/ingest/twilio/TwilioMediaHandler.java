package dev.voicebus.ingest.twilio;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.call.CallCarrier;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.CallHandlerSupport;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.ReadThrottle;
import dev.voicebus.ingest.server.WsClose;
import dev.voicebus.ingest.twilio.rest.TwilioCallCarrier;
import dev.voicebus.ingest.twilio.rest.TwilioCredentials;
import dev.voicebus.telephony.twilio.TwilioCodec;
import dev.voicebus.telephony.twilio.TwilioMessage.Inbound;
import dev.voicebus.telephony.twilio.TwilioMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio Media Streams connection ({@code <Connect><Stream>}): {@code connected}, {@code
 * start}, {@code media}, {@code dtmf}, {@code mark}, {@code stop}, decoded by {@link TwilioCodec}.
 * The {@code start} must come within {@code ingest.start-timeout}, name the account that signed the
 * stream and, for a stream admitted by a stream token, the CallSid the token was issued for; the
 * call gets that account's tenant (and the token's call id and profile). The call's carrier is
 * Twilio's REST API for that call, with the signing account's credentials. A protocol error closes
 * this connection with a code and reason and never touches another call.
 */
public final class TwilioMediaHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private static final Logger log = LoggerFactory.getLogger(TwilioMediaHandler.class);

  private final IngestContext ctx;
  private final Caller caller;
  private final CallHandlerSupport support;
  private final TwilioSequence sequence;
  private CallSession session;
  private ReadThrottle throttle;
  private ScheduledFuture<?> startDeadline;
  private boolean closing;

  public TwilioMediaHandler(IngestContext ctx, Caller caller) {
    this.ctx = ctx;
    this.caller = caller;
    this.support = new CallHandlerSupport(ctx, "twilio");
    this.sequence = new TwilioSequence(ctx.metrics());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    startDeadline = support.startDeadline(c, this::expireUnstarted);
  }

  private boolean expireUnstarted() {
    if (session != null || closing) {
      return false;
    }
    closing = true;
    return true;
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
      if (throttle != null) {
        throttle.afterRead();
      }
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
    var foreign = caller.checkAccount(start.accountSid());
    if (foreign.isPresent()) {
      closing = true;
      support.forbid(c, "foreign-account", foreign.get());
      return;
    }
    var wrongCall = caller.checkCallSid(start.callSid());
    if (wrongCall.isPresent()) {
      closing = true;
      support.forbid(c, "stream-token", wrongCall.get());
      return;
    }
    var entitlement = caller.entitle(request(start), ctx.config().defaultAgentProfile());
    if (entitlement instanceof Caller.Refused refused) {
      closing = true;
      support.forbid(c, "entitlement", refused.reason());
      return;
    }
    if (support.refuse(c, ctx.registry().tryReserve(caller.grant()))) {
      closing = true;
      return;
    }
    session =
        CallSession.start(
            ctx,
            ((Caller.Granted) entitlement).request(),
            c.channel().eventLoop(),
            new TwilioCallChannel(c.channel(), start.streamSid()),
            carrier(start));
    throttle = new ReadThrottle(c.channel(), session, ctx.metrics());
  }

  /** The call as {@code start} describes it, or as its stream token admitted it. */
  private CallStartRequest request(Inbound.Start start) {
    CallStartRequest request = TwilioMessages.request(start);
    return caller
        .streamToken()
        .map(
            token ->
                request.admitted(
                    token.grant().callId(),
                    token.grant().tenant(),
                    token.grant().profile(),
                    token.grant().metadata()))
        .orElse(request);
  }

  /** Twilio's REST API for this call, as the account that signed the stream. */
  private Optional<CallCarrier> carrier(Inbound.Start start) {
    var account = caller.twilioAccount().orElseThrow();
    TwilioCredentials credentials;
    try {
      credentials =
          new TwilioCredentials(
              account.accountSid().orElse(start.accountSid()), account.authToken());
    } catch (IllegalArgumentException e) {
      log.warn("Call without carrier control: {}", e.getMessage());
      return Optional.empty();
    }
    return Optional.of(
        new TwilioCallCarrier(
            ctx.twilio().rest(),
            credentials,
            start.callSid(),
            ctx.config().telephony().restHangup()));
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
    if (!support.idle(c, session, throttle, event)) {
      super.userEventTriggered(c, event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) throws Exception {
    startDeadline.cancel(false);
    support.inactive(session);
    super.channelInactive(c);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    support.exception(c, session, cause);
  }
}
