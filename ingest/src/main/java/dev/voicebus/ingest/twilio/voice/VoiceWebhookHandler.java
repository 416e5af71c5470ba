package dev.voicebus.ingest.twilio.voice;

import dev.voicebus.ingest.auth.AuthDecision;
import dev.voicebus.ingest.auth.RequestAuthenticator;
import dev.voicebus.ingest.auth.TwilioAccounts;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.server.HttpReplies;
import dev.voicebus.telephony.twilio.Twiml;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's voice webhook, {@code POST /twilio/voice}: checks {@code X-Twilio-Signature} over the
 * public {@code https://} URL and the form parameters, routes the call by its called number ({@code
 * To}, see {@link TwilioNumbers}) to a tenant and profile the signing account may use, and answers
 * TwiML that connects the call to {@code wss://PUBLIC/twilio/media?token=...} with a stream token
 * bound to the call's CallSid. A number with no route gets TwiML that says so and hangs up.
 */
public final class VoiceWebhookHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(VoiceWebhookHandler.class);
  private static final Pattern CALL_SID = Pattern.compile("CA[A-Za-z0-9]{1,64}");
  static final String NOT_IN_SERVICE = "Sorry, this number is not connected to an agent. Goodbye.";

  private final IngestContext ctx;
  private final RequestAuthenticator auth;
  private final StreamTokens tokens;

  public VoiceWebhookHandler(IngestContext ctx, RequestAuthenticator auth, StreamTokens tokens) {
    this.ctx = ctx;
    this.auth = auth;
    this.tokens = tokens;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, FullHttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      refuse(
          c, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "need application/x-www-form-urlencoded");
      return;
    }
    Map<String, List<String>> form =
        new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8), false)
            .parameters();
    AuthDecision decision = auth.twilioWebhook(request, form);
    if (!decision.allowed()) {
      ctx.metrics().error("auth");
      refuse(c, decision.status(), decision.reason());
      return;
    }
    TwilioAccounts.Account account = decision.caller().orElseThrow().twilioAccount().orElseThrow();
    String accountSid = first(form, "AccountSid");
    String callSid = first(form, "CallSid");
    if (!account.owns(accountSid)) {
      ctx.metrics().error("foreign-account");
      refuse(c, HttpResponseStatus.FORBIDDEN, "AccountSid is not the account that signed");
      return;
    }
    if (!CALL_SID.matcher(callSid).matches()) {
      refuse(c, HttpResponseStatus.BAD_REQUEST, "CallSid is missing or not a Twilio CallSid");
      return;
    }
    answer(c, request, account, form, callSid);
  }

  private void answer(
      ChannelHandlerContext c,
      FullHttpRequest request,
      TwilioAccounts.Account account,
      Map<String, List<String>> form,
      String callSid) {
    String to = first(form, "To");
    Optional<TwilioNumbers.Route> route =
        ctx.config().telephony().numbers().route(to).filter(r -> serves(account, r));
    if (route.isEmpty()) {
      ctx.metrics().error("unknown-number");
      log.warn(
          "Voice webhook: call {} to {} has no route for tenant {} (ingest.twilio.numbers);"
              + " answered that the number is not connected",
          callSid,
          clip(to),
          account.grant().tenant());
      reply(c, HttpResponseStatus.OK, Twiml.sayAndHangup(NOT_IN_SERVICE));
      return;
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("twilio.direction", "inbound");
    metadata.put("twilio.from", clip(first(form, "From")));
    metadata.put("twilio.to", route.get().number());
    var grant =
        new StreamToken.Grant(
            UUID.randomUUID().toString(),
            account,
            route.get().tenant(),
            route.get().profile(),
            metadata);
    Optional<StreamToken> token = tokens.issue(grant, Optional.of(callSid));
    if (token.isEmpty()) {
      ctx.metrics().error("refused");
      refuse(c, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many calls waiting for their stream");
      return;
    }
    String streamUrl =
        ctx.twilio().urls().ws(request) + "/twilio/media?token=" + token.get().value();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("agentProfile", grant.profile());
    parameters.put("tenantId", grant.tenant());
    log.info(
        "Voice webhook: call {} to {} goes to {}/{} as call {}",
        callSid,
        route.get().number(),
        grant.tenant(),
        grant.profile(),
        grant.callId());
    reply(c, HttpResponseStatus.OK, Twiml.connectStream(streamUrl, parameters));
  }

  private static boolean serves(TwilioAccounts.Account account, TwilioNumbers.Route route) {
    return account.grant().tenant().equals(route.tenant())
        && account.grant().allowsProfile(route.profile());
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private void refuse(ChannelHandlerContext c, HttpResponseStatus status, String reason) {
    log.warn(
        "Voice webhook from {} refused ({}): {}",
        c.channel().remoteAddress(),
        status.code(),
        reason);
    HttpReplies.errorAndClose(c.channel(), status, reason);
  }

  private static void reply(ChannelHandlerContext c, HttpResponseStatus status, String twiml) {
    var response =
        HttpReplies.response(status, "text/xml; charset=utf-8", Twiml.DECLARATION + twiml);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    c.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    log.debug("Voice webhook connection failed: {}", cause.toString());
    c.close();
  }
}
