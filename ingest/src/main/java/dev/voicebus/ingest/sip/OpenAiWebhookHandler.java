package dev.voicebus.ingest.sip;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.call.CallRegistry;
import dev.voicebus.ingest.call.CallTracing;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.HttpReplies;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.realtime.client.RealtimeCallsException;
import dev.voicebus.realtime.webhook.VerifiedWebhook;
import dev.voicebus.realtime.webhook.WebhookEvent;
import dev.voicebus.realtime.webhook.WebhookVerificationException;
import dev.voicebus.schemas.auth.TenantGrant;
import dev.voicebus.schemas.log.CallMdc;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's project webhook, {@code POST /openai/webhook}. Verifies the Standard Webhooks signature
 * before reading anything (400 for a malformed request, 401 for one that is not authentic, with the
 * reason), acknowledges other event types, and turns {@code realtime.call.incoming} into a SIP
 * call: routed by its {@code To} and {@code From} users ({@link SipRoutes}) to a tenant and
 * profile, counted against the tenant's cap, and published as {@code CallStarted{source SIP,
 * externalCallId call_id}} under a call id derived from OpenAI's ({@link SipCallIds}); the worker
 * that owns it accepts it. A call without a route (SIP 404), over its tenant's cap (486) or
 * arriving while Kafka is unreachable (503) is rejected through OpenAI's calls API instead, logged
 * and counted. The same {@code webhook-id} or {@code call_id} seen again is acknowledged without
 * doing anything. Answers 200 once the {@code CallStarted} is acknowledged by Kafka (milliseconds),
 * or 503 when it could not be written or the node is draining, so that OpenAI retries the delivery.
 */
public final class OpenAiWebhookHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(OpenAiWebhookHandler.class);
  private static final int MAX_HEADER_CHARS = 200;

  private final IngestContext ctx;
  private final SipServices sip;

  public OpenAiWebhookHandler(IngestContext ctx, SipServices sip) {
    this.ctx = ctx;
    this.sip = sip;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, FullHttpRequest request) {
    byte[] body = ByteBufUtil.getBytes(request.content());
    VerifiedWebhook verified;
    try {
      verified = sip.verifier().verify(name -> request.headers().get(name), body);
    } catch (WebhookVerificationException e) {
      ctx.metrics().webhook("refused");
      ctx.metrics().error("webhook-signature");
      log.warn(
          "OpenAI webhook from {} refused ({}): {}",
          c.channel().remoteAddress(),
          e.reason(),
          e.getMessage());
      HttpReplies.errorAndClose(
          c.channel(),
          e.reason().malformed() ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.UNAUTHORIZED,
          e.getMessage());
      return;
    }
    WebhookEvent event;
    try {
      event = WebhookEvent.parse(body);
    } catch (IllegalArgumentException e) {
      ctx.metrics().webhook("malformed");
      ctx.metrics().error("webhook-malformed");
      log.warn("OpenAI webhook {} is signed but not an event: {}", verified.id(), e.getMessage());
      HttpReplies.errorAndClose(c.channel(), HttpResponseStatus.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!(event instanceof WebhookEvent.CallIncoming call)) {
      ctx.metrics().webhook("ignored");
      log.debug("OpenAI webhook {}: {} acknowledged, not handled", verified.id(), event.type());
      ok(c.channel(), "{\"ignored\":" + Json.quote(event.type()) + "}");
      return;
    }
    incoming(c.channel(), verified, call);
  }

  private void incoming(Channel channel, VerifiedWebhook verified, WebhookEvent.CallIncoming call) {
    CallRegistry registry = ctx.registry();
    if (registry.draining()) {
      ctx.metrics().webhook("retry");
      HttpReplies.errorAndClose(
          channel, HttpResponseStatus.SERVICE_UNAVAILABLE, "node is draining, try another node");
      return;
    }
    if (!sip.webhookIds().first(verified.id())) {
      ctx.metrics().webhook("duplicate");
      log.info(
          "OpenAI webhook {} for call {} seen before: acknowledged", verified.id(), call.callId());
      ok(channel, "{\"duplicate\":\"webhook-id\"}");
      return;
    }
    if (!sip.callIds().first(call.callId())) {
      ctx.metrics().webhook("duplicate");
      log.info(
          "OpenAI call {} announced again (webhook {}): acknowledged",
          call.callId(),
          verified.id());
      ok(channel, "{\"duplicate\":\"call_id\"}");
      return;
    }
    String callId = SipCallIds.of(call.callId());
    String from = call.header("From").flatMap(SipUri::user).orElse("");
    String to = call.header("To").flatMap(SipUri::user).orElse("");
    Optional<SipRoutes.Route> route = sip.routes().route(to, from);
    if (route.isEmpty()) {
      reject(
          channel, call, callId, 404, "no-route", "no route for " + to + " in ingest.sip.routes");
      return;
    }
    Optional<String> unavailable = registry.admissionProblem();
    if (unavailable.isPresent()) {
      reject(channel, call, callId, 503, "unavailable", unavailable.get());
      return;
    }
    String tenant = route.get().tenant();
    TenantGrant grant =
        new TenantGrant(tenant, List.of(route.get().profile()), sip.caps().of(tenant));
    Optional<CallRegistry.Refusal> refusal = registry.tryReserveTenant(grant);
    if (refusal.isPresent()) {
      reject(channel, call, callId, 486, "tenant-limit", refusal.get().reason());
      return;
    }
    sip.ledger().admitted(callId, tenant);
    publish(channel, verified, call, callId, route.get(), from, to);
  }

  private void publish(
      Channel channel,
      VerifiedWebhook verified,
      WebhookEvent.CallIncoming call,
      String callId,
      SipRoutes.Route route,
      String from,
      String to) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("sip.from", clip(call.header("From").orElse("")));
    metadata.put("sip.to", clip(call.header("To").orElse("")));
    metadata.put("sip.call_id", clip(call.header("Call-ID").orElse("")));
    metadata.put("sip.from_user", from);
    metadata.put("sip.to_user", to);
    var started =
        CallStarted.newBuilder()
            .setCallId(callId)
            .setTenantId(route.tenant())
            .setAgentProfile(route.profile())
            .setSource(CallSource.SIP)
            .setCodec(AudioCodec.PCMU)
            .setSampleRate(8000)
            .setCallerMetadata(new java.util.HashMap<>(metadata))
            .setExternalCallId(call.callId())
            .setReplyRoute(ctx.replyRoute())
            .setStartedAt(Instant.now())
            .build();
    Span span = ctx.tracing().sipWebhook(started);
    ctx.publisher()
        .publishControl(
            callId,
            new CallControl(started),
            CallTracing.headers(span),
            error -> {
              span.end();
              try (CallMdc ignored = CallMdc.open(callId, route.tenant())) {
                if (error == null) {
                  ctx.metrics().callStarted(CallSource.SIP.name());
                  ctx.metrics().webhook("accepted");
                  log.info(
                      "SIP call {} (OpenAI {}) from {} to {} goes to {}/{}",
                      callId,
                      call.callId(),
                      from,
                      to,
                      route.tenant(),
                      route.profile());
                  ok(channel, "{\"callId\":" + Json.quote(callId) + "}");
                } else {
                  // Not recorded: forget it, so OpenAI's retry of this delivery is handled anew.
                  sip.ledger().release(callId);
                  sip.webhookIds().forget(verified.id());
                  sip.callIds().forget(call.callId());
                  ctx.metrics().webhook("retry");
                  log.warn(
                      "SIP call {} (OpenAI {}) could not be published, OpenAI will retry: {}",
                      callId,
                      call.callId(),
                      error.toString());
                  HttpReplies.errorAndClose(
                      channel,
                      HttpResponseStatus.SERVICE_UNAVAILABLE,
                      "the call could not be recorded: " + error.getMessage());
                }
              }
            });
  }

  private void reject(
      Channel channel,
      WebhookEvent.CallIncoming call,
      String callId,
      int sipStatus,
      String reason,
      String detail) {
    ctx.metrics().webhook("rejected");
    ctx.metrics().sipRejected(reason);
    ctx.metrics().error("sip-" + reason);
    log.warn(
        "SIP call {} (OpenAI {}) from {} to {} rejected with SIP {}: {}",
        callId,
        call.callId(),
        clip(call.header("From").orElse("-")),
        clip(call.header("To").orElse("-")),
        sipStatus,
        detail);
    sip.calls()
        .reject(call.callId(), sipStatus)
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                return;
              }
              if (error instanceof RealtimeCallsException e
                  && e.kind() == RealtimeCallsException.Kind.CALL_NOT_FOUND) {
                log.info("OpenAI call {} was gone before its rejection", call.callId());
                return;
              }
              ctx.metrics().error("sip-reject-failed");
              log.warn("Rejecting OpenAI call {} failed: {}", call.callId(), error.getMessage());
            });
    ok(
        channel,
        "{\"rejected\":"
            + sipStatus
            + ",\"reason\":"
            + Json.quote(detail)
            + ",\"callId\":"
            + Json.quote(callId)
            + "}");
  }

  private static String clip(String value) {
    return value.length() <= MAX_HEADER_CHARS
        ? value
        : value.substring(0, MAX_HEADER_CHARS) + "...";
  }

  private static void ok(Channel channel, String json) {
    var response = HttpReplies.response(HttpResponseStatus.OK, "application/json", json + "\n");
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    log.debug("OpenAI webhook connection failed: {}", cause.toString());
    c.close();
  }
}
