package dev.voicebus.ingest.http;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.call.CallRegistry.Refusal;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.CallSummary;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.HttpReplies;
import dev.voicebus.ingest.server.ReadThrottle;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/calls?codec=pcmu&agentProfile=..&tenantId=..&externalCallId=..&meta.<k>=<v>} with
 * a body of raw audio in the declared codec, usually chunked: the call starts with the request,
 * every byte is published as it arrives, and the end of the body ends the call. The response (after
 * every record is acknowledged) is {@code {"callId", "frames", "bytes", "durationMs", "lastSeq"}}.
 * The tenant comes from the bearer token (403 for a tenant or profile it does not allow, 429 when
 * the tenant is at its call cap); a body over {@code ingest.max-upload-bytes} gets 413, before the
 * call starts when {@code Content-Length} announces it. Reading pauses while the upload is ahead of
 * {@code ingest.upload.max-audio-rate} or over its share of the publish queue.
 */
public final class UploadHandler extends SimpleChannelInboundHandler<HttpObject> {

  private static final Logger log = LoggerFactory.getLogger(UploadHandler.class);

  private final IngestContext ctx;
  private final Caller caller;
  private final long maxBytes;
  private CallSession session;
  private ReadThrottle throttle;
  private long bodyBytes;
  private boolean done;

  public UploadHandler(IngestContext ctx, Caller caller) {
    this.ctx = ctx;
    this.caller = caller;
    this.maxBytes = ctx.config().edge().maxUploadBytes();
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
      if (session.state() == CallSession.State.LIVE) {
        onContent(content.content());
      }
      if (session.state() != CallSession.State.LIVE) {
        done = true; // ended early (a limit, Kafka, idle): its error response is on its way
      } else if (content instanceof LastHttpContent) {
        onEnd(c);
      } else {
        throttle.afterRead();
      }
    }
  }

  private void onRequest(ChannelHandlerContext c, HttpRequest request) {
    Optional<String> bad = UploadRequest.validate(request.uri());
    if (bad.isPresent()) {
      reject(c, HttpResponseStatus.BAD_REQUEST, bad.get(), "bad-request");
      return;
    }
    long announced = HttpUtil.getContentLength(request, -1L);
    if (announced > maxBytes) {
      reject(c, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(), "upload-too-large");
      return;
    }
    var entitlement =
        caller.entitle(UploadRequest.parse(request.uri()), ctx.config().defaultAgentProfile());
    if (entitlement instanceof Caller.Refused refused) {
      reject(c, HttpResponseStatus.FORBIDDEN, refused.reason(), "entitlement");
      return;
    }
    Optional<Refusal> refusal = ctx.registry().tryReserve(caller.grant());
    if (refusal.isPresent()) {
      boolean tenant = refusal.get().kind() == Refusal.Kind.TENANT_LIMIT;
      reject(
          c,
          tenant ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.SERVICE_UNAVAILABLE,
          refusal.get().reason(),
          tenant ? "tenant-limit" : "refused");
      return;
    }
    session =
        CallSession.start(
            ctx,
            ((Caller.Granted) entitlement).request(),
            c.channel().eventLoop(),
            new UploadCallChannel(c.channel()));
    throttle = new ReadThrottle(c.channel(), session, ctx.metrics());
    if (HttpUtil.is100ContinueExpected(request)) {
      c.writeAndFlush(HttpReplies.response(HttpResponseStatus.CONTINUE, "text/plain", ""));
    }
  }

  /** Publishes the body up to {@code ingest.max-upload-bytes}; beyond it the call ends with 413. */
  private void onContent(ByteBuf content) {
    int length = (int) Math.min(content.readableBytes(), maxBytes - bodyBytes);
    if (length > 0) {
      byte[] bytes = ByteBufUtil.getBytes(content, content.readerIndex(), length);
      bodyBytes += length;
      session.onAudio(bytes, 0, length, System.currentTimeMillis());
    }
    if (length < content.readableBytes() && session.state() == CallSession.State.LIVE) {
      ctx.metrics().error("upload-too-large");
      log.warn("Upload {} refused (413): {}", session.callId(), tooLarge());
      session.fail(CallEndReason.PROTOCOL_ERROR, 413, tooLarge());
    }
  }

  private String tooLarge() {
    return "upload larger than ingest.max-upload-bytes (" + maxBytes + " bytes)";
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
    HttpReplies.errorAndLinger(c.channel(), status, reason);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object event) throws Exception {
    if (event instanceof IdleStateEvent && session != null && !done) {
      if (throttle.paused()) {
        return; // quiet because this upload is held back, not because the client stalled
      }
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
