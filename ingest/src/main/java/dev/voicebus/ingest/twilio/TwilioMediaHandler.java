package dev.voicebus.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.CallHandlerSupport;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.ReadThrottle;
import dev.voicebus.ingest.server.WsClose;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio Media Streams connection ({@code <Connect><Stream>}): {@code connected}, {@code
 * start}, {@code media}, {@code dtmf}, {@code mark}, {@code stop}, with numeric fields as strings.
 * The {@code start} must come within {@code ingest.start-timeout} and name the account that signed
 * the stream; the call gets that account's tenant. A protocol error closes this connection with a
 * code and reason and never touches another call.
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
      handle(c, parse(frame));
      if (throttle != null) {
        throttle.afterRead();
      }
    } catch (ProtocolException e) {
      closing = true;
      support.protocolError(c, session, e);
    }
  }

  private static JsonNode parse(WebSocketFrame frame) {
    try (var in = new ByteBufInputStream(frame.content())) {
      JsonNode node = Json.MAPPER.readTree(in);
      if (node == null || !node.isObject()) {
        throw new ProtocolException(
            WsClose.PROTOCOL_ERROR, "malformed-json", "message is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR, "malformed-json", "malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  private void handle(ChannelHandlerContext c, JsonNode msg) {
    String event = msg.path("event").asText("");
    sequence.checkMessage(msg, event, callId());
    switch (event) {
      case "connected" -> log.debug("Twilio connected: protocol {}", msg.path("protocol").asText());
      case "start" -> onStart(c, msg);
      case "media" -> onMedia(msg);
      case "dtmf" -> requireSession(event).onDtmf(TwilioMessages.digit(msg));
      case "mark" -> requireSession(event).onMarkEcho(TwilioMessages.markName(msg));
      case "stop" -> onStop(c);
      default ->
          throw new ProtocolException(
              WsClose.PROTOCOL_ERROR,
              "unknown-event",
              "unknown event '" + TwilioMessages.clip(event) + "'");
    }
  }

  private void onStart(ChannelHandlerContext c, JsonNode msg) {
    if (session != null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "duplicate-start", "start sent twice");
    }
    var start = TwilioMessages.start(msg);
    var foreign = caller.checkAccount(start.accountSid());
    if (foreign.isPresent()) {
      closing = true;
      support.forbid(c, "foreign-account", foreign.get());
      return;
    }
    var entitlement = caller.entitle(start.toRequest(), ctx.config().defaultAgentProfile());
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
            new TwilioCallChannel(c.channel(), start.streamSid()));
    throttle = new ReadThrottle(c.channel(), session, ctx.metrics());
  }

  private void onMedia(JsonNode msg) {
    CallSession call = requireSession("media");
    JsonNode media = msg.path("media");
    sequence.checkChunk(media, call.callId());
    String track = media.path("track").asText("inbound");
    if (!track.equals("inbound") && !track.equals("inbound_track")) {
      ctx.metrics().error("outbound-track");
      return;
    }
    byte[] audio;
    try {
      audio = Base64.getDecoder().decode(media.path("payload").asText(""));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR, "bad-base64", "media.payload is not valid base64");
    }
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

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return TwilioMessages.clip(nl < 0 ? text : text.substring(0, nl));
  }
}
