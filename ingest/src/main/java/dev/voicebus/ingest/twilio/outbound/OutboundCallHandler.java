package dev.voicebus.ingest.twilio.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.ingest.auth.Caller;
import dev.voicebus.ingest.auth.TwilioAccounts;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.HttpReplies;
import dev.voicebus.ingest.server.Json;
import dev.voicebus.ingest.twilio.rest.TwilioApiException;
import dev.voicebus.ingest.twilio.rest.TwilioCredentials;
import dev.voicebus.ingest.twilio.voice.StreamToken;
import dev.voicebus.telephony.twilio.Twiml;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/calls/outbound}: places a call through Twilio's REST API for the tenant of the
 * caller's bearer token, with TwiML that connects the answered call to this node's Media Streams
 * endpoint with a stream token, so the call then runs like an inbound one under a call id given out
 * now. Answers 201 with the call id and Twilio's CallSid; a bad request, a profile or tenant not
 * entitled, a refusing Twilio or an unreachable one get a 4xx/5xx with the reason.
 */
public final class OutboundCallHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(OutboundCallHandler.class);

  private final IngestContext ctx;
  private final Caller caller;

  public OutboundCallHandler(IngestContext ctx, Caller caller) {
    this.ctx = ctx;
    this.caller = caller;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, FullHttpRequest request) {
    OutboundRequest call;
    try {
      call = OutboundRequest.parse(ByteBufUtil.getBytes(request.content()));
    } catch (IllegalArgumentException e) {
      fail(c, HttpResponseStatus.BAD_REQUEST, e.getMessage(), 0);
      return;
    }
    String tenant = caller.grant().tenant();
    Optional<String> profile =
        caller.grant().profileFor(call.agentProfile(), ctx.config().defaultAgentProfile());
    if (profile.isEmpty()) {
      ctx.metrics().error("entitlement");
      fail(
          c,
          HttpResponseStatus.FORBIDDEN,
          "agentProfile '"
              + call.agentProfile().orElse("")
              + "' is not allowed for tenant "
              + tenant,
          0);
      return;
    }
    Optional<TwilioAccounts.Account> account = ctx.config().auth().twilio().placingCallsFor(tenant);
    if (account.isEmpty()) {
      ctx.metrics().error("entitlement");
      fail(
          c,
          HttpResponseStatus.FORBIDDEN,
          "tenant "
              + tenant
              + " has no Twilio account with a known SID to place calls from (ingest.twilio.account-sid"
              + " with ingest.twilio.auth-token, or ingest.twilio.accounts-file)",
          0);
      return;
    }
    Optional<String> refusal = ctx.registry().admissionProblem();
    if (refusal.isPresent()) {
      fail(c, HttpResponseStatus.SERVICE_UNAVAILABLE, refusal.get(), 0);
      return;
    }
    place(c, request, call, account.get(), profile.get());
  }

  private void place(
      ChannelHandlerContext c,
      FullHttpRequest request,
      OutboundRequest call,
      TwilioAccounts.Account account,
      String profile) {
    Map<String, String> metadata = new LinkedHashMap<>(call.metadata());
    metadata.put("twilio.direction", "outbound");
    metadata.put("twilio.from", call.from());
    metadata.put("twilio.to", call.to());
    var grant =
        new StreamToken.Grant(
            UUID.randomUUID().toString(), account, account.grant().tenant(), profile, metadata);
    var tokens = ctx.twilio().streamTokens();
    Optional<StreamToken> token = tokens.issue(grant, Optional.empty());
    if (token.isEmpty()) {
      fail(c, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many calls waiting for their stream", 0);
      return;
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("agentProfile", profile);
    parameters.put("tenantId", grant.tenant());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("To", call.to());
    form.put("From", call.from());
    form.put(
        "Twiml",
        Twiml.connectStream(
            ctx.twilio().urls().ws(request) + "/twilio/media?token=" + token.get().value(),
            parameters));
    call.machineDetection().ifPresent(mode -> form.put("MachineDetection", mode));
    var credentials =
        new TwilioCredentials(account.accountSid().orElseThrow(), account.authToken());
    ctx.twilio()
        .rest()
        .createCall(credentials, form)
        .whenComplete(
            (answer, error) ->
                c.executor().execute(() -> placed(c, call, token.get(), answer, error)));
  }

  private void placed(
      ChannelHandlerContext c,
      OutboundRequest call,
      StreamToken token,
      JsonNode answer,
      Throwable error) {
    var tokens = ctx.twilio().streamTokens();
    String callId = token.grant().callId();
    if (error != null) {
      tokens.revoke(token);
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      TwilioApiException api =
          cause instanceof TwilioApiException e
              ? e
              : new TwilioApiException(0, 0, cause.toString());
      log.warn("Outbound call {} to {} not placed: {}", callId, call.to(), api.getMessage());
      ctx.metrics().error("outbound-refused");
      fail(c, status(api), reason(api), api.code());
      return;
    }
    String callSid = answer.path("sid").asText("");
    tokens.bind(token, callSid);
    log.info(
        "Outbound call {} placed to {} from {} as {} ({}/{})",
        callId,
        call.to(),
        call.from(),
        callSid,
        token.grant().tenant(),
        token.grant().profile());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("callId", callId);
    body.put("callSid", callSid);
    body.put("status", answer.path("status").asText("queued"));
    body.put("tenantId", token.grant().tenant());
    body.put("agentProfile", token.grant().profile());
    var response =
        HttpReplies.response(HttpResponseStatus.CREATED, "application/json", body + "\n");
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    c.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Twilio refused the call (422), rejected the credentials or failed (502), or throttled (503).
   */
  static HttpResponseStatus status(TwilioApiException api) {
    if (!api.answered() || api.status() >= 500 || api.status() == 401 || api.status() == 403) {
      return HttpResponseStatus.BAD_GATEWAY;
    }
    if (api.status() == 429) {
      return HttpResponseStatus.SERVICE_UNAVAILABLE;
    }
    return HttpResponseStatus.UNPROCESSABLE_ENTITY;
  }

  static String reason(TwilioApiException api) {
    if (!api.answered()) {
      return "Twilio could not be reached: " + api.getMessage();
    }
    if (api.status() == 401 || api.status() == 403) {
      return "Twilio did not accept the account's credentials: " + api.getMessage();
    }
    return "Twilio refused the call: " + api.getMessage();
  }

  private void fail(ChannelHandlerContext c, HttpResponseStatus status, String reason, int code) {
    log.info("Outbound call request refused ({}): {}", status.code(), reason);
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", reason);
    if (code != 0) {
      body.put("twilioCode", code);
    }
    var response = HttpReplies.response(status, "application/json", body + "\n");
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    c.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    log.debug("Outbound call connection failed: {}", cause.toString());
    c.close();
  }
}
