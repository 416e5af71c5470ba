package dev.voicebus.webhooks;

import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.observability.admin.HealthCheck;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.observability.metrics.ServiceMeters;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.KafkaSchemaStore;
import dev.voicebus.schemas.serde.SchemaStores;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.webhooks.config.Endpoint;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import dev.voicebus.webhooks.consumer.EventLoop;
import dev.voicebus.webhooks.consumer.LoopServices;
import dev.voicebus.webhooks.consumer.LoopServices.Settled;
import dev.voicebus.webhooks.consumer.LoopSettings;
import dev.voicebus.webhooks.consumer.Subscriptions;
import dev.voicebus.webhooks.delivery.DeadLetterSink;
import dev.voicebus.webhooks.delivery.Dispatcher;
import dev.voicebus.webhooks.event.CallDirectory;
import dev.voicebus.webhooks.event.EventMapper;
import dev.voicebus.webhooks.metrics.WebhookMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-webhooks service as one component: the dead-letter producer, the HTTP client, the
 * {@link Dispatcher}, the supervised {@link EventLoop} (replaced after 100 ms, doubling up to 10 s,
 * if it dies) and the admin port (health, readiness, Prometheus metrics with JVM, process and Kafka
 * client meters), closed in reverse order. It only consumes, so it never holds up a call. {@code
 * voicebus dev} embeds it; {@link EventWebhooksMain} runs it alone.
 */
public final class EventWebhooksService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventWebhooksService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final EventWebhooksConfig config;
  private final KafkaSettings kafka;
  private final Clock clock;
  private final PrometheusMeterRegistry meters = ServiceMeters.registry("voicebus-event-webhooks");
  private final List<KafkaClientMetrics> clientMeters = new ArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final String clientId = "event-webhooks-" + host();
  private ProcessMeters processMeters;
  private KafkaSchemaStore schemaStore;
  private KafkaProducer<byte[], byte[]> producer;
  private HttpClient http;
  private ScheduledExecutorService dispatchThread;
  private Dispatcher dispatcher;
  private LoopSupervisor<EventLoop> supervisor;
  private Optional<AdminHttpServer> admin = Optional.empty();

  public EventWebhooksService(EventWebhooksConfig config, KafkaSettings kafka) {
    this(config, kafka, Clock.systemUTC());
  }

  public EventWebhooksService(EventWebhooksConfig config, KafkaSettings kafka, Clock clock) {
    this.config = config;
    this.kafka = kafka;
    this.clock = clock;
  }

  /** Starts consuming and delivering; the topics must exist. */
  public synchronized void start() {
    if (supervisor != null) {
      throw new IllegalStateException("The event-webhooks service is already started");
    }
    TopicCatalogue catalogue = kafka.catalogue();
    processMeters = ProcessMeters.bindTo(meters);
    schemaStore = SchemaStores.install(kafka);
    try {
      producer = producer();
      var metrics = new WebhookMetrics(meters);
      http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(config.delivery().timeout())
              .build();
      dispatchThread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "event-webhooks-dispatch");
                thread.setDaemon(true);
                return thread;
              });
      var settled = new ConcurrentLinkedQueue<Settled>();
      dispatcher =
          new Dispatcher(
              config.endpoints(),
              config.delivery().retry(),
              config.delivery().maxPendingPerEndpoint(),
              new Dispatcher.Services(
                  http,
                  new DeadLetterSink(producer, catalogue.name(Topics.WEBHOOKS_DLQ)),
                  metrics,
                  dispatchThread,
                  clock),
              d ->
                  settled.add(
                      new Settled(
                          d.source().topic(),
                          d.source().partition(),
                          d.generation(),
                          d.source().offset())));
      var services =
          new LoopServices(
              new EventMapper(new CallDirectory(config.callLookback())),
              new Subscriptions(config.endpoints()),
              dispatcher,
              settled,
              new DeadLetterPublisher(producer, catalogue.name(Topics.DLQ), config.groupId()),
              this::restoreConsumer,
              metrics,
              new AtomicLong(),
              clock);
      var settings =
          new LoopSettings(
              catalogue.name(Topics.CALL_CONTROL),
              catalogue.name(Topics.SESSION_EVENTS),
              catalogue.name(Topics.TOOL_RESULTS),
              config.commitInterval(),
              config.delivery().maxPending(),
              SHUTDOWN_GRACE);
      supervisor =
          new LoopSupervisor<>(
              "event-webhooks-loop",
              () -> new EventLoop(consumer(), settings, services),
              new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)));
      supervisor.start();
      metrics.paused(() -> supervisor.current().filter(EventLoop::paused).isPresent() ? 1 : 0);
      meters.gauge("voicebus.webhooks.loop.restarts", supervisor, LoopSupervisor::restarts);
      admin = Optional.of(new AdminHttpServer(adminEndpoints()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    warnAboutPlainHttp();
    log.info(
        "Event webhooks started: {} endpoints from {}",
        config.endpoints().size(),
        config.webhooksFile());
  }

  private void warnAboutPlainHttp() {
    for (Endpoint endpoint : config.endpoints()) {
      String host = endpoint.url().getHost();
      if (endpoint.url().getScheme().equalsIgnoreCase("http")
          && !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
        log.warn(
            "Endpoint {} is plain http ({}): events and signatures cross the network unencrypted;"
                + " use https",
            endpoint.id(),
            endpoint.safeUrl());
      }
    }
  }

  /** Why the service is not delivering right now; empty while it is. */
  public Optional<String> healthProblem() {
    if (supervisor == null) {
      return Optional.of("not started");
    }
    Optional<String> down = supervisor.problem();
    if (down.isPresent()) {
      return down;
    }
    return supervisor.current().filter(EventLoop::healthy).isPresent()
        ? Optional.empty()
        : Optional.of("the event loop is starting");
  }

  /** The bound admin port. */
  public int adminPort() {
    return admin.map(AdminHttpServer::port).orElseThrow();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meters;
  }

  /** How many times the event loop died and was replaced. */
  public int loopRestarts() {
    return supervisor == null ? 0 : supervisor.restarts();
  }

  private AdminEndpoints adminEndpoints() {
    HealthCheck consuming = this::healthProblem;
    return new AdminEndpoints(
        "event-webhooks.admin-port",
        config.adminHost(),
        config.adminPort(),
        meters,
        consuming,
        consuming);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> producerConfig = kafka.clientConfig();
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dlq");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    var created =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    bindClientMeters(new KafkaClientMetrics(created));
    return created;
  }

  private Consumer<byte[], byte[]> consumer() {
    Map<String, Object> consumerConfig = kafka.clientConfig();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + clients.incrementAndGet());
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // tool.results is written in the tool executor's transactions.
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom());
    // The same partition numbers of the three topics to one instance, so one instance sees all
    // of a call's events in order when the partition counts are equal.
    // (The consumer group protocol of KIP-848 assigns on the broker and refuses this setting.)
    if (!"consumer".equalsIgnoreCase(String.valueOf(consumerConfig.get("group.protocol")))) {
      consumerConfig.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    }
    consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    var created =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    bindClientMeters(new KafkaClientMetrics(created));
    return created;
  }

  private Consumer<byte[], byte[]> restoreConsumer() {
    Map<String, Object> restoreConfig = kafka.clientConfig();
    restoreConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-restore");
    restoreConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    restoreConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(
        restoreConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private synchronized void bindClientMeters(KafkaClientMetrics binder) {
    binder.bindTo(meters);
    clientMeters.add(binder);
  }

  private static String host() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "local";
    }
  }

  @Override
  public synchronized void close() {
    admin.ifPresent(AdminHttpServer::close);
    if (supervisor != null) {
      supervisor.stop(STOP_TIMEOUT);
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    clientMeters.forEach(KafkaClientMetrics::close);
    if (processMeters != null) {
      processMeters.close();
    }
    meters.close();
    if (schemaStore != null) {
      schemaStore.close();
    }
    log.info("Event webhooks stopped");
  }
}
