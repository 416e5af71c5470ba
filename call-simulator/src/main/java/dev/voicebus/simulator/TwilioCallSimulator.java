package dev.voicebus.simulator;

import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Twilio Media Streams simulator: connects to an ingest node like Twilio does for {@code
 * <Connect><Stream>} (signed upgrade, {@code connected}, {@code start} with custom parameters, 20
 * ms base64 mu-law {@code media} with string numeric fields, {@code dtmf}, {@code stop}) and plays
 * received agent audio on a simulated clock, echoing marks when the audio before them has played or
 * when a {@code clear} drops it. Used by tests, the launcher's call/loadtest commands and the
 * benchmark. Thread-safe; one shared event loop group for all simulated calls.
 */
public final class TwilioCallSimulator implements AutoCloseable {

  private final SimulatorOptions options;
  private final EventLoopGroup group;
  private final boolean ownsGroup;

  /** A simulator with its own event loop group of {@code threads} threads. */
  public TwilioCallSimulator(SimulatorOptions options, int threads) {
    this(options, new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()), true);
  }

  /** A simulator on a caller-owned event loop group. */
  public TwilioCallSimulator(SimulatorOptions options, EventLoopGroup group) {
    this(options, group, false);
  }

  private TwilioCallSimulator(SimulatorOptions options, EventLoopGroup group, boolean ownsGroup) {
    this.options = options;
    this.group = group;
    this.ownsGroup = ownsGroup;
  }

  /**
   * Connects, and once the upgrade succeeds sends {@code connected} and {@code start} with {@code
   * customParameters}. The future fails if the upgrade is refused (see {@link
   * SimulatedCall#closed()} for the HTTP status).
   */
  public CompletableFuture<SimulatedCall> call(Map<String, String> customParameters) {
    return open(
        options.target(),
        signedHeaders(options.authToken(), options.signedUrl()),
        newCallSid(),
        SimulatedCall.ACCOUNT_SID,
        Optional.of(customParameters));
  }

  /**
   * Connects as Twilio does for a TwiML {@code <Connect><Stream url="...">}: to {@code
   * request.connectTo()}, the upgrade signed over {@code request.signedUrl()}, then {@code
   * connected} and {@code start} with the request's CallSid, account and parameters. Ignores {@link
   * SimulatorOptions#target()}; a wss target needs {@link SimulatorOptions#ssl()}.
   */
  public CompletableFuture<SimulatedCall> stream(StreamRequest request) {
    return open(
        request.connectTo(),
        signedHeaders(request.authToken(), request.signedUrl()),
        request.callSid(),
        request.accountSid(),
        Optional.of(request.parameters()));
  }

  /** Connects with exactly {@code headers} (e.g. a bad signature) and sends nothing. */
  public CompletableFuture<SimulatedCall> connectRaw(HttpHeaders headers) {
    return open(
        options.target(), headers, newCallSid(), SimulatedCall.ACCOUNT_SID, Optional.empty());
  }

  /** A CallSid as Twilio makes them: {@code CA} and 32 hex digits. */
  public static String newCallSid() {
    return "CA" + UUID.randomUUID().toString().replace("-", "");
  }

  private static HttpHeaders signedHeaders(String authToken, String signedUrl) {
    var headers = new DefaultHttpHeaders();
    headers.set(TwilioSignature.HEADER, TwilioSignature.sign(authToken, signedUrl, Map.of()));
    return headers;
  }

  private CompletableFuture<SimulatedCall> open(
      URI target,
      HttpHeaders headers,
      String callSid,
      String accountSid,
      Optional<Map<String, String>> start) {
    String streamSid = "MZ" + UUID.randomUUID().toString().replace("-", "");
    var call = new SimulatedCall(callSid, accountSid, streamSid, start);
    var wsConfig =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(target)
            .version(WebSocketVersion.V13)
            .customHeaders(headers)
            .maxFramePayloadLength(1 << 20)
            .handleCloseFrames(false)
            .handshakeTimeoutMillis(10_000)
            .build();
    int port = target.getPort() > 0 ? target.getPort() : defaultPort(target);
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(initializer(call, wsConfig, target.getHost(), port))
        .connect(target.getHost(), port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                call.connectFailed(f.cause());
              }
            });
    return call.ready();
  }

  private ChannelInitializer<SocketChannel> initializer(
      SimulatedCall call, WebSocketClientProtocolConfig wsConfig, String host, int port) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        options.ssl().ifPresent(s -> ch.pipeline().addLast(s.newHandler(ch.alloc(), host, port)));
        ch.pipeline()
            .addLast(new HttpClientCodec())
            .addLast(new HttpObjectAggregator(8192))
            .addLast(new WebSocketClientProtocolHandler(wsConfig))
            .addLast(call.handler());
      }
    };
  }

  private static int defaultPort(URI target) {
    return target.getScheme().equals("wss") ? 443 : 80;
  }

  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
