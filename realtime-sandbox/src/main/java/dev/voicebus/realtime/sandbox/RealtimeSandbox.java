package dev.voicebus.realtime.sandbox;

import dev.voicebus.realtime.sandbox.protocol.EventSink;
import dev.voicebus.realtime.sandbox.protocol.ServerEventTap;
import dev.voicebus.realtime.sandbox.protocol.SessionOptions;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.sandbox.scenario.ScenarioLibrary;
import dev.voicebus.realtime.sandbox.scenario.ScenarioLoader;
import dev.voicebus.realtime.sandbox.sip.SipEmulator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server that speaks the OpenAI Realtime GA WebSocket protocol, so clients run without an
 * API key: scripted scenarios decide what the "model" says and which tools it calls, an energy VAD
 * finds turns in the real audio, and faults can be injected. One boss and one worker event loop
 * group serve every session; each session lives on one event loop and uses no threads of its own.
 */
public final class RealtimeSandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeSandbox.class);
  private static final Duration SESSION_LIFETIME = Duration.ofMinutes(60);
  private static final int MAX_ITEMS = 200;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final SessionRegistry registry;
  private final SipEmulator sip;
  private final String host;
  private final int port;
  private final boolean tls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RealtimeSandbox(SandboxConfig config, ServerEventTap tap) {
    ScenarioLibrary scenarios =
        new ScenarioLibrary(
            ScenarioLoader.load(config.scenarioDir(), config.faults()), config.defaultScenario());
    SessionOptions options =
        new SessionOptions(
            scenarios,
            config.faults(),
            config.pacing(),
            config.recordCap(),
            MAX_ITEMS,
            SESSION_LIFETIME,
            tap);
    registry = new SessionRegistry();
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
    sip =
        new SipEmulator(
            config.sip(),
            options,
            workers,
            new SipEmulator.Sessions() {
              @Override
              public void opened(SessionRecord record, EventSink sink) {
                registry.opened(record, sink);
              }

              @Override
              public void closed(SessionRecord record) {
                registry.closed(record);
              }
            },
            config.recordCap());
    serverChannel = bind(config, options);
    host = config.host();
    tls = config.tls() != null;
    port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    LOG.info("Realtime sandbox listening on {} (scenarios {})", baseUri(), scenarios.names());
  }

  private Channel bind(SandboxConfig config, SessionOptions options) {
    try {
      return new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 4096)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(
              new SandboxInitializer(
                  options,
                  registry,
                  config.rejectedKeys(),
                  config.auth(),
                  config.tls() == null ? null : config.tls().sslContext(),
                  sip))
          .bind(config.host(), config.port())
          .syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IllegalStateException(
          "Cannot bind sandbox to " + config.host() + ":" + config.port(), e);
    }
  }

  /** Binds and starts a sandbox. */
  public static RealtimeSandbox start(SandboxConfig config) {
    return new RealtimeSandbox(config, ServerEventTap.NONE);
  }

  /** Binds and starts a sandbox whose server events are also passed to {@code tap}. */
  public static RealtimeSandbox start(SandboxConfig config, ServerEventTap tap) {
    return new RealtimeSandbox(config, tap);
  }

  /**
   * WebSocket base URL, e.g. {@code ws://127.0.0.1:PORT/v1} ({@code wss} with TLS); clients append
   * {@code /realtime?model=...}.
   */
  public URI baseUri() {
    return URI.create((tls ? "wss://" : "ws://") + host + ":" + port + "/v1");
  }

  /** HTTP form of the base URL, as the OpenAI SDKs take it ({@code baseURL}). */
  public URI httpBaseUri() {
    return URI.create((tls ? "https://" : "http://") + host + ":" + port + "/v1");
  }

  public int port() {
    return port;
  }

  /**
   * The SIP emulation: place simulated inbound calls, inspect them, and say where their webhooks
   * go.
   */
  public SipEmulator sip() {
    return sip;
  }

  /** Records of live sessions and of the most recently closed ones. */
  public List<SessionRecord> sessions() {
    return registry.all();
  }

  public Optional<SessionRecord> session(String sessionId) {
    return registry.find(sessionId);
  }

  /**
   * Ends a live session now, as a server fault would: with a close frame ({@code code}, {@code
   * reason}), or, with {@code code} 1006, by dropping the TCP connection without one. Returns false
   * if no such session is live.
   */
  public boolean endSession(String sessionId, int code, String reason) {
    return registry
        .sink(sessionId)
        .map(
            sink -> {
              sink.executor()
                  .execute(
                      () -> {
                        if (code == 1006) {
                          sink.drop();
                        } else {
                          sink.close(code, reason);
                        }
                      });
              return true;
            })
        .orElse(false);
  }

  /**
   * Number of live sessions: WebSocket sessions with an open socket, and SIP calls' sessions from
   * their accept until the call ends (attached or not).
   */
  public int liveSessions() {
    return registry.liveCount();
  }

  /** Stops accepting, tells live sessions 1001 "going away" (clients may reconnect). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    serverChannel.close().syncUninterruptibly();
    registry
        .channels()
        .writeAndFlush(new CloseWebSocketFrame(1001, "The server is shutting down."))
        .awaitUninterruptibly(2, TimeUnit.SECONDS);
    registry.channels().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("Realtime sandbox on port {} stopped", port);
  }

  /** Starts a sandbox on the port given as the first argument or SANDBOX_PORT (8765) and blocks. */
  public static void main(String[] args) throws InterruptedException {
    SandboxConfig config = SandboxConfig.fromEnv(System.getenv());
    if (args.length > 0) {
      config = config.withPort(Integer.parseInt(args[0]));
    }
    RealtimeSandbox sandbox = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                },
                "realtime-sandbox-shutdown"));
    System.out.println("Realtime sandbox: " + sandbox.baseUri() + "/realtime?model=gpt-realtime");
    System.out.println(
        "SIP calls: POST "
            + sandbox.httpBaseUri().resolve("/sandbox/sip/calls")
            + " {\"from\":\"+1...\",\"to\":\"+1...\"}, webhooks to "
            + (config.sip().webhookUrl() == null
                ? "(none: set SANDBOX_SIP_WEBHOOK_URL)"
                : config.sip().webhookUrl()));
    stopped.await();
  }
}
