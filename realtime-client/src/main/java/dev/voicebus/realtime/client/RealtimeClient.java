package dev.voicebus.realtime.client;

import dev.voicebus.realtime.event.RealtimeJson;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Realtime WebSocket sessions ({@code baseUri/realtime?model=...}) for any number of calls,
 * attaches sideband sockets to calls OpenAI carries ({@code baseUri/realtime?call_id=...}), and
 * gives the calls API of the same endpoint ({@link #calls()}). One client owns one Netty event loop
 * group and one TLS context shared by all its connections (or uses a group the caller owns), so
 * thousands of sessions cost a few threads. Create one per process and close it at shutdown.
 */
public final class RealtimeClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealtimeClient.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final RealtimeClientConfig config;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Class<? extends SocketChannel> channelType;
  private final RealtimeChannelInitializer.Shared shared;
  private final RealtimeJson json = RealtimeJson.shared();
  private final Set<NettyRealtimeConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicReference<ConnectionStatus> status =
      new AtomicReference<>(ConnectionStatus.NONE);
  private volatile RealtimeCalls calls;

  /** A client with its own NIO event loop group of {@code config.eventLoopThreads()} threads. */
  public RealtimeClient(RealtimeClientConfig config) {
    this(
        config,
        new MultiThreadIoEventLoopGroup(
            config.eventLoopThreads(),
            new DefaultThreadFactory("realtime-client", true),
            NioIoHandler.newFactory()),
        NioSocketChannel.class,
        true);
  }

  /**
   * A client on an event loop group the caller owns (and shuts down); {@code channelType} must
   * match the group's transport, e.g. {@code NioSocketChannel.class}.
   */
  public RealtimeClient(
      RealtimeClientConfig config,
      EventLoopGroup group,
      Class<? extends SocketChannel> channelType) {
    this(config, group, channelType, false);
  }

  private RealtimeClient(
      RealtimeClientConfig config,
      EventLoopGroup group,
      Class<? extends SocketChannel> channelType,
      boolean ownsGroup) {
    this.config = Objects.requireNonNull(config, "config");
    this.group = Objects.requireNonNull(group, "group");
    this.channelType = Objects.requireNonNull(channelType, "channelType");
    this.ownsGroup = ownsGroup;
    this.shared =
        new RealtimeChannelInitializer.Shared(
            config.isSecure() ? sslContext(config) : null, config.maxFrameBytes(), config.apiKey());
  }

  /** Opens a session for {@code model} (e.g. {@code gpt-realtime}). */
  public CompletableFuture<RealtimeConnection> connect(String model, RealtimeListener listener) {
    return connect(model, ConnectOptions.NONE, listener);
  }

  /**
   * Opens a session with extra query parameters and headers. The future completes on the
   * connection's event loop once the WebSocket upgrade succeeded, or exceptionally with a {@link
   * RealtimeHandshakeException} (HTTP status other than 101) or {@link RealtimeConnectException}
   * (TCP, TLS, timeout). Listener callbacks start only after it completed normally.
   *
   * @throws IllegalArgumentException if {@code options} carry {@code model} or {@code call_id}
   *     (attach to a call with {@link #attach})
   */
  public CompletableFuture<RealtimeConnection> connect(
      String model, ConnectOptions options, RealtimeListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be set, e.g. gpt-realtime");
    }
    return open(realtimeUri("model", model, options.query()), options, listener, false);
  }

  /**
   * Attaches a "sideband" socket to a call OpenAI already carries (a SIP call accepted through
   * {@link RealtimeCalls#accept}, or a WebRTC call): {@code baseUri/realtime?call_id=...}, never
   * with a model (the session has one). The same TLS, key handling, redaction, listener contract
   * and failures as {@link #connect}; an unknown, unanswered or ended call fails the upgrade
   * (OpenAI answers 404 {@code call_id_not_found}). Attaching again (after a drop, or from a new
   * owner after a failover) joins the same session and conversation.
   */
  public CompletableFuture<RealtimeConnection> attach(String callId, RealtimeListener listener) {
    return attach(callId, ConnectOptions.NONE, listener);
  }

  /** {@link #attach(String, RealtimeListener)} with extra query parameters and headers. */
  public CompletableFuture<RealtimeConnection> attach(
      String callId, ConnectOptions options, RealtimeListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (callId == null || callId.isBlank()) {
      throw new IllegalArgumentException("callId must be set, e.g. rtc_...");
    }
    return open(realtimeUri("call_id", callId, options.query()), options, listener, true);
  }

  /**
   * The calls API (accept, reject, refer, hang up) of this client's endpoint, with its key and
   * trust; created on first use and shared.
   */
  public RealtimeCalls calls() {
    RealtimeCalls current = calls;
    if (current == null) {
      synchronized (this) {
        if (calls == null) {
          calls = new RealtimeCalls(config);
        }
        current = calls;
      }
    }
    return current;
  }

  private CompletableFuture<RealtimeConnection> open(
      URI uri, ConnectOptions options, RealtimeListener listener, boolean attach) {
    String id = "rt-" + IDS.incrementAndGet();
    NettyRealtimeConnection connection =
        new NettyRealtimeConnection(
            id, uri.toString(), listener, json, config.closeTimeout().toMillis());
    connections.add(connection);
    connection.closeFuture().whenComplete((closed, error) -> connections.remove(connection));
    connection
        .opened()
        .whenComplete(
            (opened, error) -> {
              // A call that is gone (404 on attach) says nothing about the endpoint's health.
              if (!(attach
                  && error instanceof RealtimeHandshakeException refused
                  && refused.status() == 404)) {
                recordOutcome(error);
              }
            });
    RealtimeChannelInitializer.Endpoint endpoint =
        new RealtimeChannelInitializer.Endpoint(uri.getHost(), port(uri), config.isSecure());
    new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(
            new RealtimeChannelInitializer(
                connection, protocolConfig(uri, options.headers()), endpoint, shared))
        .connect(endpoint.host(), endpoint.port())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                connection.connectFailed(f.cause());
              }
            });
    return connection.opened();
  }

  /** The validated configuration (its {@code toString} redacts the key). */
  public RealtimeClientConfig config() {
    return config;
  }

  /**
   * When the endpoint last accepted a connection (WebSocket upgrade completed) and last refused or
   * failed one, with the failure's (redacted) message: what a readiness check asks. An attach
   * refused with 404 (the call is gone) counts as neither. Safe from any thread.
   */
  public ConnectionStatus connectionStatus() {
    return status.get();
  }

  private void recordOutcome(Throwable error) {
    Instant now = Instant.now();
    if (error == null) {
      status.updateAndGet(s -> s.succeeded(now));
    } else {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      String message = String.valueOf(cause.getMessage());
      String redacted =
          config.apiKey() == null ? ApiKey.redactKeyLike(message) : config.apiKey().redact(message);
      status.updateAndGet(s -> s.failed(now, redacted));
    }
  }

  /** Number of connections not yet closed. */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Closes every open connection with 1001 (going away), waits up to the close timeout for them,
   * then shuts down the event loop group if this client created it.
   */
  @Override
  public void close() {
    CompletableFuture<?>[] closing =
        connections.stream()
            .map(c -> c.close(CloseStatus.GOING_AWAY, "client shutting down"))
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closing)
          .get(config.closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      LOG.warn("Realtime client: {} connections did not close cleanly", connections.size());
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "RealtimeClient[baseUri="
        + config.baseUri()
        + ", apiKey="
        + config.apiKey()
        + ", openConnections="
        + connections.size()
        + "]";
  }

  private URI realtimeUri(String key, String value, Map<String, String> extraQuery) {
    for (String reserved : new String[] {"model", "call_id"}) {
      if (extraQuery.containsKey(reserved)) {
        throw new IllegalArgumentException(
            "ConnectOptions.query must not hold '"
                + reserved
                + "': connect(model, ...) opens a session for a model, attach(callId, ...) joins a"
                + " call, never both");
      }
    }
    String base = config.baseUri().toString();
    StringBuilder url =
        new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    url.append("/realtime?").append(key).append('=').append(encode(value));
    extraQuery.forEach((k, v) -> url.append('&').append(encode(k)).append('=').append(encode(v)));
    return URI.create(url.toString());
  }

  private WebSocketClientProtocolConfig protocolConfig(URI uri, Map<String, String> headers) {
    HttpHeaders custom = new DefaultHttpHeaders();
    headers.forEach(custom::add);
    if (config.apiKey() != null) {
      custom.set(config.apiKey().scheme().header(), config.apiKey().headerValue());
    }
    return WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .customHeaders(custom)
        .maxFramePayloadLength(config.maxFrameBytes())
        .handleCloseFrames(false)
        .sendCloseFrame(null)
        .dropPongFrames(true)
        .generateOriginHeader(false)
        .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
        .build();
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static SslContext sslContext(RealtimeClientConfig config) {
    try {
      return SslContextBuilder.forClient()
          .trustManager(config.trustManagerFactory())
          .endpointIdentificationAlgorithm("HTTPS")
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot create the TLS context for " + config.baseUri(), e);
    }
  }
}
