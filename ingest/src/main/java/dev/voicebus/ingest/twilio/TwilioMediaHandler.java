package dev.voicebus.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.CallHandlerSupport;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.WsClose;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio Media Streams connection ({@code <Connect><Stream>}): {@code connected}, {@code
 * start}, {@code media}, {@code dtmf}, {@code mark}, {@code stop}, with numeric fields as strings.
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
      handle(c, parse(frame));
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
    if (support.refuse(c, ctx.registry().tryReserve())) {
      closing = true;
      return;
    }
    session =
        CallSession.start(
            ctx,
            start.toRequest(),
            c.channel().eventLoop(),
            new TwilioCallChannel(c.channel(), start.streamSid()));
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

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return TwilioMessages.clip(nl < 0 ? text : text.substring(0, nl));
  }
}
