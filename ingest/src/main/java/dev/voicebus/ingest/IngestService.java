package dev.voicebus.ingest;

import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.ReplyRoute;
import dev.voicebus.ingest.admin.AdminServer;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.auth.RequestAuthenticator;
import dev.voicebus.ingest.call.CallRegistry;
import dev.voicebus.ingest.call.CallTracing;
import dev.voicebus.ingest.call.IngestContext;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.ingest.kafka.CallPublisher;
import dev.voicebus.ingest.kafka.KafkaHealth;
import dev.voicebus.ingest.playback.AudioOutConsumer;
import dev.voicebus.ingest.playback.PlaybackContext;
import dev.voicebus.ingest.server.ConnectionLimiter;
import dev.voicebus.ingest.server.IngestChannelInitializer;
import dev.voicebus.ingest.server.PublicUrls;
import dev.voicebus.ingest.server.WsClose;
import dev.voicebus.ingest.twilio.TwilioServices;
import dev.voicebus.ingest.twilio.rest.TwilioRestClient;
import dev.voicebus.ingest.twilio.voice.StreamTokens;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.SchemaStores;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.schemas.topic.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest node: call listener (Twilio, plain WebSocket, HTTP upload), admin listener, the Kafka
 * publisher and the reply-partition consumer, built from an {@link IngestConfig} and {@link
 * KafkaSettings}. {@link #start()} binds; {@link #drain(Duration)} refuses new calls and waits for
 * live ones; {@link #close()} drains, then releases everything in reverse order.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final IngestConfig config;
  private final KafkaSettings kafka;
  private final Tracing tracing;
  private final IngestMetrics metrics = new IngestMetrics();
  private final KafkaHealth health;
  private final ConnectionLimiter connections;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private CallRegistry registry;
  private LoopSupervisor<AudioOutConsumer> playback;
  private Channel serverChannel;
  private AdminServer admin;
  private boolean closed;

  /** A node traced as the environment's {@code OTEL_*} variables say (off unless configured). */
  public IngestService(IngestConfig config, KafkaSettings kafka) {
    this(config, kafka, Tracing.fromEnvironment("voicebus-ingest"));
  }

  /** A node whose call spans go to {@code tracing} (closed with the node). */
  public IngestService(IngestConfig config, KafkaSettings kafka, Tracing tracing) {
    this.tracing = tracing;
    resources.push(tracing);
    this.config = config;
    this.kafka = kafka;
    this.health = new KafkaHealth(config.limits().kafkaStallTimeout());
    this.connections =
        new ConnectionLimiter(
            config.edge().maxConnections(), config.edge().maxConnectionsPerAddress(), metrics);
  }

  /**
   * Binds the listeners and starts consuming the reply partition; fails fast on bad settings (and
   * releases whatever was already started).
   */
  public synchronized IngestService start() throws InterruptedException {
    try {
      Admin kafkaAdmin = Admin.create(kafka.clientConfig());
      resources.push(kafkaAdmin);
      CallPublisher publisher = startPublisher(kafkaAdmin);
      resources.push(SchemaStores.install(kafka));
      registry = new CallRegistry(config.limits().maxConcurrentCalls(), health);
      var replyRoute = new ReplyRoute(audioOutTopic(), config.audio().replyPartition());
      var ctx =
          new IngestContext(
              config, publisher, registry, metrics, replyRoute, twilio(), new CallTracing(tracing));
      EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      EventLoopGroup workers =
          new MultiThreadIoEventLoopGroup(config.listen().ioThreads(), NioIoHandler.newFactory());
      resources.push(() -> shutdown(boss, workers));
      serverChannel = bind(ctx, boss, workers);
      resources.push(() -> serverChannel.close().syncUninterruptibly());
      startPlayback(publisher);
      startHealthAndAdmin(kafkaAdmin, publisher, boss, workers);
    } catch (RuntimeException | InterruptedException e) {
      closeResources();
      throw e;
    }
    log.info(
        "Ingest listening on {} (admin {}), reply route {}-{}, chunk {} ms",
        port(),
        admin.port(),
        audioOutTopic(),
        config.audio().replyPartition(),
        config.audio().chunkMs());
    return this;
  }

  private TwilioServices twilio() {
    var telephony = config.telephony();
    // A token per call that is ringing or starting its stream; twice the call cap is plenty.
    int tokenCapacity = Math.max(100, 2 * config.limits().maxConcurrentCalls());
    return new TwilioServices(
        new TwilioRestClient(telephony.apiBaseUrl(), telephony.apiTimeout()),
        new StreamTokens(telephony.streamTokenTtl(), tokenCapacity),
        new PublicUrls(config.listen().publicUrl(), config.listen().tlsCert().isPresent()));
  }

  private String audioOutTopic() {
    return kafka.catalogue().name(Topics.AUDIO_OUT);
  }

  private CallPublisher startPublisher(Admin kafkaAdmin) {
    var catalogue = kafka.catalogue();
    if (config.createTopics()) {
      new TopicBootstrap(kafkaAdmin, catalogue, Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    requireReplyPartition(catalogue.partitions(Topics.AUDIO_OUT));
    var publisher =
        new CallPublisher(
            kafka.clientConfig(),
            catalogue,
            config.limits().maxBlock(),
            config.limits().publishQueue(),
            health,
            metrics);
    resources.push(publisher);
    publisher.warmUp();
    return publisher;
  }

  private Channel bind(IngestContext ctx, EventLoopGroup boss, EventLoopGroup workers)
      throws InterruptedException {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Reads of at most 16 KiB (a few hundred ms of audio): a paused call overshoots its audio
        // budget by no more than one read, and a call stream never needs more per read.
        .childOption(
            ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, 16 * 1024))
        .childHandler(
            new IngestChannelInitializer(
                ctx,
                new RequestAuthenticator(config, ctx.twilio().urls(), ctx.twilio().streamTokens()),
                sslContext(),
                connections))
        .bind(config.listen().host(), config.listen().port())
        .sync()
        .channel();
  }

  private void startPlayback(CallPublisher publisher) {
    var deadLetters =
        new DeadLetterPublisher(publisher.producer(), kafka.catalogue().name(Topics.DLQ), "ingest");
    var context =
        new PlaybackContext(
            kafka.clientConfig(),
            new TopicPartition(audioOutTopic(), config.audio().replyPartition()),
            registry,
            metrics,
            deadLetters);
    playback = AudioOutConsumer.supervise(context).start();
    resources.push(playback);
    // New calls are refused (1013 / 503) while agent audio could not reach them.
    health.watchReplyPath(this::playbackProblem);
    metrics.gauge("voicebus.ingest.playback.restarts", playback::restarts);
  }

  /** Why the playback consumer is not reading the reply partition; empty while it is. */
  private Optional<String> playbackProblem() {
    return playback.problem().map(reason -> "playback consumer down: " + reason);
  }

  private void startHealthAndAdmin(
      Admin kafkaAdmin, CallPublisher publisher, EventLoopGroup boss, EventLoopGroup workers)
      throws InterruptedException {
    long probeMs = config.limits().kafkaProbeInterval().toMillis();
    workers.scheduleAtFixedRate(
        () -> health.probe(kafkaAdmin, Duration.ofMillis(Math.max(500, probeMs * 3 / 4))),
        0,
        probeMs,
        TimeUnit.MILLISECONDS);
    resources.push(ProcessMeters.bindTo(metrics.registry()));
    var producerMeters = new KafkaClientMetrics(publisher.producer());
    producerMeters.bindTo(metrics.registry());
    resources.push(producerMeters);
    metrics.gauge("voicebus.ingest.calls.active", registry::active);
    metrics.gauge("voicebus.ingest.connections.open", connections::open);
    metrics.gauge("voicebus.ingest.kafka.pending", health::pendingSends);
    metrics.gauge("voicebus.ingest.kafka.queued", publisher::queued);
    admin =
        new AdminServer(
            boss,
            workers,
            config.listen().host(),
            config.listen().adminPort(),
            metrics,
            this::readinessProblem);
    resources.push(admin);
  }

  private void requireReplyPartition(int partitions) {
    int reply = config.audio().replyPartition();
    if (reply >= partitions) {
      throw new IllegalArgumentException(
          "ingest.reply-partition="
              + reply
              + " is invalid: audio.out has "
              + partitions
              + " partitions (0.."
              + (partitions - 1)
              + ")");
    }
  }

  private Optional<SslContext> sslContext() {
    if (config.listen().tlsCert().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          SslContextBuilder.forServer(
                  config.listen().tlsCert().get().toFile(), config.listen().tlsKey().get().toFile())
              .build());
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ingest.tls.cert/ingest.tls.key are invalid: "
              + e.getMessage()
              + " (need PEM certificate chain and PKCS#8 key)",
          e);
    }
  }

  /** Why new calls would be refused right now; empty when ready. */
  public Optional<String> readinessProblem() {
    if (registry == null) {
      return Optional.of("starting");
    }
    if (registry.draining()) {
      return Optional.of("draining");
    }
    return health.problem(); // includes the playback consumer (KafkaHealth#watchReplyPath)
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  public IngestMetrics metrics() {
    return metrics;
  }

  public int activeCalls() {
    return registry.active();
  }

  /**
   * Stops accepting calls, waits up to {@code timeout} for live calls to end, then ends the rest
   * with CallEnded{SHUTDOWN} and close code 1001.
   */
  public void drain(Duration timeout) throws InterruptedException {
    registry.startDraining();
    serverChannel.close().sync();
    long deadline = System.nanoTime() + timeout.toNanos();
    log.info("Draining {} live calls (up to {})", registry.active(), timeout);
    while (registry.active() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (var session : List.copyOf(registry.live())) {
      session
          .eventLoop()
          .execute(
              () -> session.fail(CallEndReason.SHUTDOWN, WsClose.GOING_AWAY, "node shutting down"));
    }
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (registry.active() > 0 && System.nanoTime() < settle) {
      Thread.sleep(20);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (registry != null && serverChannel != null) {
        drain(config.limits().drainTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeResources();
    log.info("Ingest stopped");
  }

  private void closeResources() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        log.warn("Error while closing ingest: {}", e.toString());
      }
    }
  }

  private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
