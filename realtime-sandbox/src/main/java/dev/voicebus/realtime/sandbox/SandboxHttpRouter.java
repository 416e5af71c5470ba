package dev.voicebus.realtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.sip.SipApiAnswer;
import dev.voicebus.realtime.sandbox.sip.SipCallRequest;
import dev.voicebus.realtime.sandbox.sip.SipCallView;
import dev.voicebus.realtime.sandbox.sip.SipEmulator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's plain HTTP endpoints, ahead of the WebSocket upgrade: OpenAI's calls API for SIP
 * calls, {@code POST /v1/realtime/calls/{call_id}/accept|reject|refer|hangup} (with the same
 * credential checks as the upgrade), and the development hook that places a simulated SIP call,
 * {@code POST /sandbox/sip/calls} (and {@code GET /sandbox/sip/calls[/{call_id}]} to inspect calls;
 * unauthenticated, like everything of a local sandbox). Everything else goes on to the {@link
 * HandshakeGuard}. Answers are written from the call's event loop once it decided.
 */
final class SandboxHttpRouter extends ChannelInboundHandlerAdapter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern CALLS_API =
      Pattern.compile("/v1/realtime/calls/([^/]+)/(accept|reject|refer|hangup)");
  private static final String HOOK = "/sandbox/sip/calls";

  private final SipEmulator sip;
  private final HandshakeGuard guard;

  SandboxHttpRouter(SipEmulator sip, HandshakeGuard guard) {
    this.sip = sip;
    this.guard = guard;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (path.startsWith("/v1/realtime/calls")) {
      callsApi(ctx, req, path);
    } else if (path.equals(HOOK) || path.startsWith(HOOK + "/")) {
      hook(ctx, req, path);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void callsApi(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
    Matcher m = CALLS_API.matcher(path);
    if (!m.matches() || !HttpMethod.POST.equals(req.method())) {
      HandshakeGuard.reject(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          "Invalid URL (" + req.method() + " " + path + ")",
          null);
      return;
    }
    if (guard.refusedCredentials(ctx, req)) {
      return;
    }
    JsonNode body;
    try {
      body = body(req);
    } catch (IOException e) {
      write(
          ctx,
          req,
          new SipApiAnswer(
              400,
              "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\","
                  + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    req.release();
    sip.api(m.group(1), m.group(2), body)
        .whenComplete(
            (answer, error) ->
                write(
                    ctx,
                    keepAlive,
                    error == null
                        ? answer
                        : new SipApiAnswer(
                            500,
                            "{\"error\":{\"message\":\"The server had an error while processing"
                                + " your request.\",\"type\":\"server_error\",\"param\":null,"
                                + "\"code\":null}}")));
  }

  private void hook(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
    try {
      if (HttpMethod.POST.equals(req.method()) && path.equals(HOOK)) {
        placeCall(ctx, req);
      } else if (HttpMethod.GET.equals(req.method()) && path.equals(HOOK)) {
        ArrayNode all = MAPPER.createArrayNode();
        sip.calls().forEach(v -> all.add(view(v)));
        write(ctx, req, new SipApiAnswer(200, all.toString()));
      } else if (HttpMethod.GET.equals(req.method())) {
        String callId = path.substring(HOOK.length() + 1);
        write(
            ctx,
            req,
            sip.call(callId)
                .map(v -> new SipApiAnswer(200, view(v).toString()))
                .orElse(hookError(404, "no simulated call " + callId)));
      } else {
        write(ctx, req, hookError(405, "use POST " + HOOK + " or GET " + HOOK + "/{call_id}"));
      }
    } catch (IOException e) {
      write(ctx, req, hookError(400, "the body is not JSON: " + e.getMessage()));
    }
  }

  private void placeCall(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
    JsonNode body = body(req);
    SipCallView call;
    try {
      call = sip.placeCall(request(body));
    } catch (IllegalArgumentException e) {
      write(ctx, req, hookError(400, e.getMessage()));
      return;
    } catch (IllegalStateException e) {
      write(ctx, req, hookError(409, e.getMessage()));
      return;
    }
    ObjectNode answer = MAPPER.createObjectNode();
    answer.put("call_id", call.callId());
    answer.put("webhook_id", call.webhookId());
    answer.put("state", call.state().name().toLowerCase(Locale.ROOT));
    answer.put("webhook_url", String.valueOf(sip.settings().webhookUrl()));
    write(ctx, req, new SipApiAnswer(201, answer.toString()));
  }

  private static SipCallRequest request(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException(
          "the body is {\"from\":\"+1...\",\"to\":\"+1...\",\"scenario\":\"...\"}");
    }
    String duplicate = body.path("duplicate").asText("none");
    SipCallRequest.Duplicate mode =
        switch (duplicate) {
          case "none", "false" -> SipCallRequest.Duplicate.NONE;
          case "same_webhook_id", "true" -> SipCallRequest.Duplicate.SAME_WEBHOOK_ID;
          case "new_webhook_id" -> SipCallRequest.Duplicate.NEW_WEBHOOK_ID;
          default ->
              throw new IllegalArgumentException(
                  "'duplicate' must be none, same_webhook_id or new_webhook_id, got '"
                      + duplicate
                      + "'");
        };
    Map<String, String> headers = new LinkedHashMap<>();
    body.path("sip_headers")
        .properties()
        .forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
    return new SipCallRequest(
        body.path("from").asText(null),
        body.path("to").asText(null),
        body.hasNonNull("scenario") ? body.get("scenario").asText() : null,
        mode,
        headers);
  }

  private static ObjectNode view(SipCallView v) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("call_id", v.callId());
    n.put("webhook_id", v.webhookId());
    n.put("from", v.from());
    n.put("to", v.to());
    n.put("scenario", v.scenario());
    n.put("state", v.state().name().toLowerCase(Locale.ROOT));
    n.put("session_id", v.sessionId());
    n.put("reject_status", v.rejectStatus());
    n.put("referred_to", v.referredTo());
    n.put("hung_up", v.hungUp());
    n.put(
        "end_reason", v.endReason() == null ? null : v.endReason().name().toLowerCase(Locale.ROOT));
    n.put("end_detail", v.endDetail());
    n.put("sidebands", v.sidebands());
    ArrayNode deliveries = n.putArray("webhook_deliveries");
    v.deliveries().forEach(deliveries::add);
    return n;
  }

  private static SipApiAnswer hookError(int status, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("message", message);
    return new SipApiAnswer(status, body.toString());
  }

  /** The JSON body, or null when there is none. */
  private static JsonNode body(FullHttpRequest req) throws IOException {
    if (req.content().readableBytes() == 0) {
      return null;
    }
    return MAPPER.readTree(req.content().toString(StandardCharsets.UTF_8));
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest req, SipApiAnswer answer) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    req.release();
    write(ctx, keepAlive, answer);
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, SipApiAnswer answer) {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(bytes));
    if (bytes.length > 0) {
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
