package dev.voicebus.realtime.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Checks the WebSocket upgrade request before Netty's handshaker sees it: the path must be {@code
 * /v1/realtime} with {@code ?model=} (a new session) or {@code ?call_id=} (a sideband socket of an
 * accepted SIP call, never with a model), the API key (Authorization Bearer, the browser
 * subprotocol {@code openai-insecure-api-key.KEY}, or an {@code api-key} header) must be present,
 * be the one {@link SandboxAuth} demands if it demands one, and not be in the rejected set.
 * Failures get an HTTP status with OpenAI's JSON error body. Also answers {@code GET /healthz}
 * (200) for probes. Remembers the model and the beta header for the session.
 */
final class HandshakeGuard extends ChannelInboundHandlerAdapter {
  static final String PATH = "/v1/realtime";
  static final String HEALTH_PATH = "/healthz";
  private static final String AZURE_DENIED =
      "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a"
          + " valid key for an active subscription and use a correct regional API endpoint for your"
          + " resource.";
  static final AttributeKey<String> MODEL = AttributeKey.valueOf("voicebus.sandbox.model");
  static final AttributeKey<Boolean> BETA = AttributeKey.valueOf("voicebus.sandbox.beta");
  static final AttributeKey<String> CALL_ID = AttributeKey.valueOf("voicebus.sandbox.call-id");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KEY_PROTOCOL = "openai-insecure-api-key.";

  private final Set<String> rejectedKeys;
  private final SandboxAuth auth;
  private final SipEmulator sip;

  HandshakeGuard(Set<String> rejectedKeys, SandboxAuth auth, SipEmulator sip) {
    this.rejectedKeys = rejectedKeys;
    this.auth = auth;
    this.sip = sip;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    if (HEALTH_PATH.equals(uri.path())) {
      healthy(ctx, req);
      return;
    }
    if (!PATH.equals(uri.path())) {
      reject(ctx, req, HttpResponseStatus.NOT_FOUND, "Invalid URL (GET " + uri.path() + ")", null);
      return;
    }
    if (refusedCredentials(ctx, req)) {
      return;
    }
    List<String> callId = uri.parameters().get("call_id");
    if (callId != null && !callId.isEmpty()) {
      sideband(ctx, req, uri, callId.get(0));
      return;
    }
    List<String> model = uri.parameters().get("model");
    ctx.channel().attr(MODEL).set(model == null || model.isEmpty() ? "gpt-realtime" : model.get(0));
    String beta = req.headers().get("OpenAI-Beta");
    ctx.channel().attr(BETA).set(beta != null && beta.contains("realtime=v1"));
    ctx.fireChannelRead(msg);
  }

  /**
   * A {@code ?call_id=} upgrade: a sideband socket for a SIP call. A model with it, or a call that
   * is unknown, still ringing or ended, is refused before the upgrade.
   */
  private void sideband(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, String callId) {
    if (uri.parameters().containsKey("model")) {
      reject(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          "Provide either 'model' or 'call_id', not both: a call already has its session.",
          "invalid_value");
      return;
    }
    if (!sip.attachable(callId)) {
      reject(
          ctx,
          req,
          HttpResponseStatus.NOT_FOUND,
          "No session found for the provided call_id",
          "call_id_not_found");
      return;
    }
    ctx.channel().attr(CALL_ID).set(callId);
    ctx.channel().attr(BETA).set(false);
    ctx.fireChannelRead(req);
  }

  /**
   * Refuses a request without the credential {@link SandboxAuth} demands (HTTP 401 with OpenAI's
   * error body) and returns true; false when the credential is fine.
   */
  boolean refusedCredentials(ChannelHandlerContext ctx, FullHttpRequest req) {
    String key =
        switch (auth.mode()) {
          case ANY -> bearerKey(req) != null ? bearerKey(req) : req.headers().get("api-key");
          case BEARER -> bearerKey(req);
          case API_KEY -> req.headers().get("api-key");
        };
    if (key == null || key.isBlank()) {
      reject(
          ctx,
          req,
          HttpResponseStatus.UNAUTHORIZED,
          auth.mode() == SandboxAuth.Mode.API_KEY
              ? AZURE_DENIED
              : "You didn't provide an API key. You need to provide your API key in an"
                  + " Authorization header using Bearer auth (i.e. Authorization: Bearer"
                  + " YOUR_KEY).",
          auth.mode() == SandboxAuth.Mode.API_KEY ? "401" : null);
      return true;
    }
    if (rejectedKeys.contains(key) || !expected(key)) {
      reject(
          ctx,
          req,
          HttpResponseStatus.UNAUTHORIZED,
          auth.mode() == SandboxAuth.Mode.API_KEY
              ? AZURE_DENIED
              : "Incorrect API key provided: " + redact(key) + ".",
          auth.mode() == SandboxAuth.Mode.API_KEY ? "401" : "invalid_api_key");
      return true;
    }
    return false;
  }

  private boolean expected(String key) {
    return auth.mode() == SandboxAuth.Mode.ANY
        || MessageDigest.isEqual(
            key.getBytes(StandardCharsets.UTF_8), auth.key().getBytes(StandardCharsets.UTF_8));
  }

  private static void healthy(ChannelHandlerContext ctx, FullHttpRequest req) {
    req.release();
    byte[] bytes = "ok\n".getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            req.protocolVersion(), HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  /** The key from {@code Authorization: Bearer} or the browser subprotocol. */
  private static String bearerKey(FullHttpRequest req) {
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String protocols = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (protocols != null) {
      for (String p : protocols.split(",")) {
        if (p.trim().startsWith(KEY_PROTOCOL)) {
          return p.trim().substring(KEY_PROTOCOL.length());
        }
      }
    }
    return null;
  }

  /** Like OpenAI: shows only the first three and last four characters of the key. */
  private static String redact(String key) {
    return key.length() <= 8
        ? "****"
        : key.substring(0, 3) + "****" + key.substring(key.length() - 4);
  }

  static void reject(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      HttpResponseStatus status,
      String message,
      String code) {
    req.release();
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", "invalid_request_error");
    error.putNull("param");
    error.put("code", code);
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(req.protocolVersion(), status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }
}
