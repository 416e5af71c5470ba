package dev.voicebus.ingest.http;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.CallSummary;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.HttpReplies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/calls?codec=pcmu&agentProfile=..&tenantId=..&externalCallId=..&meta.<k>=<v>} with
 * a body of raw audio in the declared codec, usually chunked: the call starts with the request,
 * every byte is published as it arrives, and the end of the body ends the call. The response (after
 * every record is acknowledged) is {@code {"callId", "frames", "bytes", "durationMs", "lastSeq"}}.
 */
public final class UploadHandler extends SimpleChannelInboundHandler<HttpObject> {

  private static final Logger log = LoggerFactory.getLogger(UploadHandler.class);

  private static final int PAUSE_ABOVE = 2_000;
  private static final int RESUME_BELOW = 500;

  private final IngestContext ctx;
  private CallSession session;
  private boolean done;

  public UploadHandler(IngestContext ctx) {
    this.ctx = ctx;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, HttpObject msg) {
    if (done) {
      return;
    }
    if (msg instanceof HttpRequest request) {
      onRequest(c, request);
    }
    if (session != null && msg instanceof HttpContent content) {
      onContent(c, content.content());
      if (content instanceof LastHttpContent) {
        onEnd(c);
      }
    }
  }

  private void onRequest(ChannelHandlerContext c, HttpRequest request) {
    Optional<String> bad = UploadRequest.validate(request.uri());
    if (bad.isPresent()) {
      reject(c, HttpResponseStatus.BAD_REQUEST, bad.get(), "bad-request");
      return;
    }
    Optional<String> refusal = ctx.registry().tryReserve();
    if (refusal.isPresent()) {
      reject(c, HttpResponseStatus.SERVICE_UNAVAILABLE, refusal.get(), "refused");
      return;
    }
    session =
        CallSession.start(
            ctx,
            UploadRequest.parse(request.uri()),
            c.channel().eventLoop(),
            new UploadCallChannel(c.channel()));
    if (HttpUtil.is100ContinueExpected(request)) {
      c.writeAndFlush(HttpReplies.response(HttpResponseStatus.CONTINUE, "text/plain", ""));
    }
  }

  private void onContent(ChannelHandlerContext c, ByteBuf content) {
    int length = content.readableBytes();
    if (length > 0) {
      byte[] bytes = ByteBufUtil.getBytes(content);
      session.onAudio(bytes, 0, length, System.currentTimeMillis());
    }
    if (session.unacknowledged() > PAUSE_ABOVE && c.channel().config().isAutoRead()) {
      // A batch upload can outrun Kafka: stop reading the body until the backlog drains.
      c.channel().config().setAutoRead(false);
      c.executor().schedule(() -> resumeWhenDrained(c), 5, TimeUnit.MILLISECONDS);
    }
  }

  private void resumeWhenDrained(ChannelHandlerContext c) {
    if (!c.channel().isActive()) {
      return;
    }
    if (session.unacknowledged() < RESUME_BELOW) {
      c.channel().config().setAutoRead(true);
    } else {
      c.executor().schedule(() -> resumeWhenDrained(c), 5, TimeUnit.MILLISECONDS);
    }
  }

  private void onEnd(ChannelHandlerContext c) {
    done = true;
    session.end(CallEndReason.CALLER_HANGUP, "upload complete");
    session
        .settled()
        .whenComplete(
            (summary, error) -> c.channel().eventLoop().execute(() -> respond(c, summary)));
  }

  private void respond(ChannelHandlerContext c, CallSummary s) {
    var status = s.allPublished() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
    String body =
        "{\"callId\":\""
            + s.callId()
            + "\",\"frames\":"
            + s.records()
            + ",\"bytes\":"
            + s.bytes()
            + ",\"durationMs\":"
            + s.audioMs()
            + ",\"lastSeq\":"
            + s.lastSeq()
            + ",\"published\":"
            + s.allPublished()
            + "}\n";
    var response = HttpReplies.response(status, "application/json", body);
    response.headers().set("X-Voicebus-Call-Id", s.callId());
    // One call per connection: the router is gone from this pipeline, so always close.
    response.headers().set("Connection", "close");
    c.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void reject(
      ChannelHandlerContext c, HttpResponseStatus status, String reason, String kind) {
    done = true;
    ctx.metrics().error(kind);
    log.warn("Upload refused ({}): {}", status.code(), reason);
    var response = HttpReplies.errorAndClose(c.channel(), status, reason);
    if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
      response.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object event) throws Exception {
    if (event instanceof IdleStateEvent && session != null && !done) {
      ctx.metrics().error("idle-timeout");
      session.fail(CallEndReason.IDLE_TIMEOUT, 408, "idle timeout: upload stalled");
      return;
    }
    super.userEventTriggered(c, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) throws Exception {
    if (session != null && !done) {
      session.end(CallEndReason.CALLER_HANGUP, "upload connection closed before end of body");
    }
    super.channelInactive(c);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    ctx.metrics().error("upload");
    log.warn("Upload {} failed: {}", session == null ? "-" : session.callId(), cause.toString());
    if (session != null) {
      session.end(CallEndReason.ERROR, cause.getClass().getSimpleName());
    }
    c.close();
  }
}
