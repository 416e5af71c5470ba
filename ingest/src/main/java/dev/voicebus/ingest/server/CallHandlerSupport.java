package dev.voicebus.ingest.server;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.ingest.call.CallRegistry.Refusal;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.schemas.log.CallMdc;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two WebSocket call handlers share: turning protocol errors, oversized messages, idle
 * connections, streams that never start, refusals and dropped sockets into a CallEnded record and a
 * close code, without touching any other call.
 */
public final class CallHandlerSupport {

  private static final Logger log = LoggerFactory.getLogger(CallHandlerSupport.class);

  private final IngestContext ctx;
  private final String endpoint;

  public CallHandlerSupport(IngestContext ctx, String endpoint) {
    this.ctx = ctx;
    this.endpoint = endpoint;
  }

  public void protocolError(ChannelHandlerContext c, CallSession session, ProtocolException e) {
    ctx.metrics().error(e.kind());
    try (CallMdc ignored = session == null ? null : session.mdc()) {
      log.warn(
          "{} call {} protocol error (close {}): {}",
          endpoint,
          session == null ? "-" : session.callId(),
          e.closeCode(),
          e.getMessage());
    }
    if (session != null) {
      session.end(CallEndReason.PROTOCOL_ERROR, e.getMessage());
    }
    WsClose.close(c.channel(), e.closeCode(), e.getMessage());
  }

  public void exception(ChannelHandlerContext c, CallSession session, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // Netty's decoder has already sent the close frame (e.g. 1009) and is closing the socket.
      ctx.metrics().error("bad-frame");
      try (CallMdc ignored = session == null ? null : session.mdc()) {
        log.warn("{} call {} bad frame: {}", endpoint, callId(session), cause.getMessage());
      }
      if (session != null) {
        session.end(
            CallEndReason.PROTOCOL_ERROR,
            "close " + corrupted.closeStatus().code() + ": " + cause.getMessage());
      }
      return;
    }
    if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
      protocolError(
          c,
          session,
          new ProtocolException(
              WsClose.TOO_BIG,
              "message-too-big",
              "message larger than ingest.max-message-bytes: " + cause.getMessage()));
      return;
    }
    ctx.metrics().error("internal");
    try (CallMdc ignored = session == null ? null : session.mdc()) {
      log.error("{} call {} failed", endpoint, session == null ? "-" : session.callId(), cause);
    }
    if (session != null) {
      session.end(CallEndReason.ERROR, "internal error: " + cause.getClass().getSimpleName());
    }
    WsClose.close(c.channel(), WsClose.INTERNAL_ERROR, "internal error");
  }

  private static String callId(CallSession session) {
    return session == null ? "-" : session.callId();
  }

  /**
   * Closes an idle connection; returns true when {@code event} was the idle event. A connection
   * whose reading is paused by its {@link ReadThrottle} is quiet on purpose and stays open.
   */
  public boolean idle(
      ChannelHandlerContext c, CallSession session, ReadThrottle throttle, Object event) {
    if (!(event instanceof IdleStateEvent)) {
      return false;
    }
    if (throttle != null && throttle.paused()) {
      return true;
    }
    ctx.metrics().error("idle-timeout");
    String reason =
        "idle timeout: no data for " + ctx.config().limits().idleTimeout().toMillis() + " ms";
    if (session != null) {
      session.fail(CallEndReason.IDLE_TIMEOUT, WsClose.NORMAL, reason);
    } else {
      WsClose.close(c.channel(), WsClose.NORMAL, reason);
    }
    return true;
  }

  /** The socket went away: a live call ends as a caller hang-up. */
  public void inactive(CallSession session) {
    if (session != null && session.state() == CallSession.State.LIVE) {
      session.end(CallEndReason.CALLER_HANGUP, "connection closed");
    }
  }

  /**
   * Refuses a new call when admission fails: 1013 when the node refuses (draining, Kafka, node
   * full), 1008 when the call's tenant is at its cap. Returns true if refused.
   */
  public boolean refuse(ChannelHandlerContext c, Optional<Refusal> refusal) {
    if (refusal.isEmpty()) {
      return false;
    }
    boolean tenant = refusal.get().kind() == Refusal.Kind.TENANT_LIMIT;
    ctx.metrics().error(tenant ? "tenant-limit" : "refused");
    log.warn("{} call refused: {}", endpoint, refusal.get().reason());
    WsClose.close(
        c.channel(),
        tenant ? WsClose.POLICY_VIOLATION : WsClose.TRY_AGAIN_LATER,
        refusal.get().reason());
    return true;
  }

  /** Refuses a stream its credential does not entitle (1008 with the reason). */
  public void forbid(ChannelHandlerContext c, String kind, String reason) {
    ctx.metrics().error(kind);
    log.warn("{} call refused: {}", endpoint, reason);
    WsClose.close(c.channel(), WsClose.POLICY_VIOLATION, reason);
  }

  /**
   * After {@code ingest.start-timeout}, asks {@code expire} whether the stream is still not started
   * (the handler then stops handling its messages) and if so closes it with 1008. Cancel the
   * returned future when the connection goes away.
   */
  public ScheduledFuture<?> startDeadline(ChannelHandlerContext c, BooleanSupplier expire) {
    long timeoutMs = ctx.config().edge().startTimeout().toMillis();
    return c.executor()
        .schedule(
            () -> {
              if (c.channel().isActive() && expire.getAsBoolean()) {
                forbid(c, "start-timeout", "no start message within " + timeoutMs + " ms");
              }
            },
            timeoutMs,
            TimeUnit.MILLISECONDS);
  }
}
