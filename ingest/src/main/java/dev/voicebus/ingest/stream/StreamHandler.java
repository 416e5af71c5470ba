package dev.voicebus.ingest.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallSource;
import dev.voicebus.ingest.audio.AudioFormats;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.CallStartRequest;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.CallHandlerSupport;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.server.ProtocolException;
import dev.voicebus.ingest.server.ReadThrottle;
import dev.voicebus.ingest.server.WsClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * The plain WebSocket stream for media servers that are not Twilio: a JSON {@code start} (codec
 * pcm16/pcmu/pcma, agentProfile, tenantId, externalCallId, metadata), then binary audio frames,
 * optional {@code dtmf} and {@code mark} echoes, and {@code stop}. The server answers {@code
 * started} with the call id and {@code stopped} with the frame count. The tenant comes from the
 * bearer token; a {@code tenantId} or {@code agentProfile} the token does not allow is refused with
 * 1008, and so is a connection that sends no {@code start} within {@code ingest.start-timeout}.
 */
public final class StreamHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private final IngestContext ctx;
  private final Caller caller;
  private final CallHandlerSupport support;
  private CallSession session;
  private ReadThrottle throttle;
  private ScheduledFuture<?> startDeadline;
  private boolean closing;

  public StreamHandler(IngestContext ctx, Caller caller) {
    this.ctx = ctx;
    this.caller = caller;
    this.support = new CallHandlerSupport(ctx, "stream");
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
      if (frame instanceof BinaryWebSocketFrame binary) {
        onAudio(binary.content());
      } else if (frame instanceof TextWebSocketFrame) {
        onControl(c, parse(frame.content()));
      } else {
        throw new ProtocolException(WsClose.UNSUPPORTED_DATA, "bad-frame", "unexpected frame type");
      }
      if (throttle != null) {
        throttle.afterRead();
      }
    } catch (ProtocolException e) {
      closing = true;
      support.protocolError(c, session, e);
    }
  }

  private void onAudio(ByteBuf content) {
    if (session == null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "before-start", "audio before start");
    }
    int length = content.readableBytes();
    if (session.codec() == AudioCodec.PCM16 && length % 2 != 0) {
      throw new ProtocolException(
          WsClose.UNSUPPORTED_DATA,
          "wrong-codec",
          "pcm16 frame of " + length + " bytes is not whole 16-bit samples");
    }
    byte[] bytes = ByteBufUtil.getBytes(content);
    session.onAudio(bytes, 0, bytes.length, System.currentTimeMillis());
  }

  private void onControl(ChannelHandlerContext c, JsonNode msg) {
    String type = msg.path("type").asText("");
    switch (type) {
      case "start" -> onStart(c, msg);
      case "stop" -> onStop(c);
      case "mark" -> requireSession(type).onMarkEcho(msg.path("name").asText(""));
      case "dtmf" -> requireSession(type).onDtmf(msg.path("digit").asText(""));
      default ->
          throw new ProtocolException(
              WsClose.PROTOCOL_ERROR, "unknown-event", "unknown message type '" + clip(type) + "'");
    }
  }

  private void onStart(ChannelHandlerContext c, JsonNode msg) {
    if (session != null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "duplicate-start", "start sent twice");
    }
    String codecName = msg.path("codec").asText("");
    AudioCodec codec =
        AudioFormats.parse(codecName)
            .orElseThrow(
                () ->
                    new ProtocolException(
                        WsClose.UNSUPPORTED_DATA,
                        "wrong-codec",
                        "unsupported codec '" + clip(codecName) + "': use pcm16, pcmu or pcma"));
    Map<String, String> metadata = new HashMap<>();
    msg.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    var request =
        new CallStartRequest(
            CallSource.WEBSOCKET,
            codec,
            optionalText(msg, "agentProfile"),
            optionalText(msg, "tenantId"),
            optionalText(msg, "externalCallId"),
            metadata);
    var entitlement = caller.entitle(request, ctx.config().defaultAgentProfile());
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
            new StreamCallChannel(c.channel()));
    throttle = new ReadThrottle(c.channel(), session, ctx.metrics());
    c.writeAndFlush(
        new TextWebSocketFrame(
            "{\"type\":\"started\",\"callId\":" + Json.quote(session.callId()) + "}"));
  }

  private void onStop(ChannelHandlerContext c) {
    CallSession call = requireSession("stop");
    call.end(CallEndReason.CALLER_HANGUP, "stream stop");
    c.writeAndFlush(
        new TextWebSocketFrame(
            "{\"type\":\"stopped\",\"callId\":"
                + Json.quote(call.callId())
                + ",\"frames\":"
                + call.nextSeq()
                + "}"));
    WsClose.close(c.channel(), WsClose.NORMAL, "stream stopped");
  }

  private CallSession requireSession(String type) {
    if (session == null) {
      throw new ProtocolException(WsClose.PROTOCOL_ERROR, "before-start", type + " before start");
    }
    return session;
  }

  private static JsonNode parse(ByteBuf content) {
    try (var in = new ByteBufInputStream(content.duplicate())) {
      JsonNode node = Json.MAPPER.readTree(in);
      if (node == null || !node.isObject()) {
        throw new ProtocolException(
            WsClose.PROTOCOL_ERROR, "malformed-json", "message is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      int nl = message.indexOf('\n');
      throw new ProtocolException(
          WsClose.PROTOCOL_ERROR,
          "malformed-json",
          "malformed JSON: " + clip(nl < 0 ? message : message.substring(0, nl)));
    }
  }

  private static Optional<String> optionalText(JsonNode msg, String field) {
    JsonNode value = msg.get(field);
    return value == null || value.isNull() || value.asText().isEmpty()
        ? Optional.empty()
        : Optional.of(value.asText());
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
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
