package dev.voicebus.tools.executor;

import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.observability.admin.HealthCheck;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.observability.metrics.ServiceMeters;
import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.crypto.FieldKey;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.KafkaSchemaStore;
import dev.voicebus.schemas.serde.SchemaStores;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.tools.api.Tool;
import dev.voicebus.tools.builtin.BuiltinTools;
import dev.voicebus.tools.catalogue.CataloguePublisher;
import dev.voicebus.tools.config.McpServerConfig;
import dev.voicebus.tools.config.ToolExecutorConfig;
import dev.voicebus.tools.config.WebhookToolConfig;
import dev.voicebus.tools.mcp.McpServerConnection;
import dev.voicebus.tools.mcp.McpServerLink;
import dev.voicebus.tools.metrics.ToolMetrics;
import dev.voicebus.tools.registry.RegisteredTool;
import dev.voicebus.tools.registry.ToolDefinition;
import dev.voicebus.tools.registry.ToolRegistry;
import dev.voicebus.tools.webhook.WebhookTool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool executor as one component: builds the tool registry (Java plug-ins, built-ins, webhooks,
 * and the MCP servers' tools, kept up to date by one {@link McpServerLink} per server), publishes
 * the tools to {@code tool.catalogue} ({@link CataloguePublisher}), the pools, the execution
 * journal, the admin port (health, readiness, Prometheus metrics with JVM, process and Kafka client
 * meters) and the {@link ToolCallLoop}, runs the loop under a {@link LoopSupervisor} (a loop that
 * dies is replaced after 100 ms, doubling up to 10 s, while {@code /healthz} and {@code /readyz}
 * answer 503 with the reason) and closes everything in reverse order. The launcher embeds it in dev
 * mode; {@link ToolExecutorMain} runs it alone.
 */
public final class ToolExecutorService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ToolExecutorService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESTART_INITIAL = Duration.ofMillis(100);
  private static final Duration RESTART_MAX = Duration.ofSeconds(10);

  private final ToolExecutorConfig config;
  private final KafkaSettings kafka;
  private final List<Tool> extraTools;
  private final Tracing tracing;
  private final PrometheusMeterRegistry meters = ServiceMeters.registry("voicebus-tool-executor");
  private final List<McpServerLink> mcpLinks = new ArrayList<>();
  private ScheduledExecutorService mcpScheduler;
  private CataloguePublisher catalogue;
  private final List<KafkaClientMetrics> clientMeters = new ArrayList<>();
  private ProcessMeters processMeters;
  private KafkaSchemaStore schemaStore;
  private ToolRegistry registry;
  private ExecutorService pool;
  private ScheduledExecutorService timers;
  private ExecutionJournal journal;
  private LoopSupervisor<ToolCallLoop> supervisor;
  private Optional<AdminHttpServer> http = Optional.empty();
  private boolean halted;

  /** An executor traced as the environment's {@code OTEL_*} variables say (off unless set). */
  public ToolExecutorService(ToolExecutorConfig config, KafkaSettings kafka) {
    this(config, kafka, List.of());
  }

  /** With {@code extraTools} registered besides the discovered ones (embedding, tests). */
  public ToolExecutorService(
      ToolExecutorConfig config, KafkaSettings kafka, List<Tool> extraTools) {
    this(config, kafka, extraTools, Tracing.fromEnvironment("voicebus-tool-executor"));
  }

  /** With its tool spans going to {@code tracing} (closed with the executor). */
  public ToolExecutorService(
      ToolExecutorConfig config, KafkaSettings kafka, List<Tool> extraTools, Tracing tracing) {
    this.config = config;
    this.kafka = kafka;
    this.extraTools = List.copyOf(extraTools);
    this.tracing = tracing;
  }

  /** Connects to MCP servers, checks the topics, and starts consuming tool.calls. */
  public synchronized void start() {
    if (supervisor != null) {
      throw new IllegalStateException("The tool executor is already started");
    }
    TopicCatalogue catalogue = kafka.catalogue();
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      PartitionCheck.requireSameCount(
          admin,
          catalogue.name(Topics.TOOL_CALLS),
          catalogue.name(Topics.TOOL_DEDUPE),
          Duration.ofSeconds(30));
    }
    processMeters = ProcessMeters.bindTo(meters);
    schemaStore = SchemaStores.install(kafka);
    registry = buildRegistry();
    pool = Executors.newFixedThreadPool(config.threads(), daemonThreads("tool-"));
    timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("tool-deadline-"));
    try {
      startMcpServers();
      startCatalogue(catalogue);
      startLoop(catalogue);
      if (config.httpPort() > 0) {
        http = Optional.of(new AdminHttpServer(adminEndpoints()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "Tool executor {} started with tools {}{}",
        config.instanceId(),
        registry.names(),
        mcpProblems().isEmpty() ? "" : "; MCP servers still connecting: " + mcpProblems().keySet());
  }

  /**
   * One link per MCP server: the first attempt now (a reachable server's tools are registered when
   * start() returns), later ones in the background; a server that is down does not stop start-up.
   */
  private void startMcpServers() {
    if (config.mcpServers().isEmpty()) {
      return;
    }
    mcpScheduler =
        Executors.newScheduledThreadPool(
            Math.min(4, config.mcpServers().size()), daemonThreads("mcp-"));
    for (McpServerConfig server : config.mcpServers()) {
      var link =
          new McpServerLink(
              server,
              config.mcp(),
              registry,
              mcpScheduler,
              changed ->
                  McpServerConnection.open(
                      server, new McpServerConnection.Options(config.maxResultBytes(), changed)));
      mcpLinks.add(link);
      Gauge.builder("voicebus.tool.mcp.server.up", link, l -> l.problem().isEmpty() ? 1 : 0)
          .description("1 while the MCP server is connected and its tools are offered")
          .tag("server", server.server())
          .register(meters);
      link.start();
    }
  }

  /** Publishes the tools to tool.catalogue (the instance the catalogue group picks writes). */
  private void startCatalogue(TopicCatalogue topics) {
    Map<String, Object> consumerConfig = kafka.clientConfig();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId() + ".catalogue");
    consumerConfig.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "tool-executor-catalogue-" + config.instanceId());
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, Object> producerConfig = kafka.clientConfig();
    producerConfig.put(
        ProducerConfig.CLIENT_ID_CONFIG, "tool-executor-catalogue-" + config.instanceId());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    catalogue =
        new CataloguePublisher(
            topics.name(Topics.TOOL_CATALOGUE),
            registry,
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer()),
            config.catalogueResync());
    catalogue.start();
  }

  /**
   * The MCP servers that are not connected now and why (their tools are not offered meanwhile); by
   * server name.
   */
  public Map<String, String> mcpProblems() {
    Map<String, String> problems = new TreeMap<>();
    for (McpServerLink link : mcpLinks) {
      link.problem().ifPresent(p -> problems.put(link.config().server(), p));
    }
    return problems;
  }

  /** Whether this instance writes tool.catalogue now (one instance of the group does). */
  public boolean writesCatalogue() {
    return catalogue != null && catalogue.writer();
  }

  /** Builds what outlives a loop (runner, journal, restorer) and starts the supervised loop. */
  private void startLoop(TopicCatalogue catalogue) {
    var metrics = new ToolMetrics(meters);
    var runner =
        new ToolRunner(
            registry,
            new ToolRunner.Threads(pool, timers),
            config.retry(),
            config.maxResultBytes(),
            metrics,
            config
                .fieldKeyFile()
                .map(file -> FieldCipher.of(FieldKey.fromFile(config.fieldKeyId(), file))));
    var journalProducer = journalProducer();
    journal = new ExecutionJournal(journalProducer, catalogue.name(Topics.TOOL_DEDUPE));
    var restorer =
        new DedupeRestorer(
            this::restoreConsumer,
            catalogue.name(Topics.TOOL_DEDUPE),
            new DeadLetterPublisher(journalProducer, catalogue.name(Topics.DLQ), config.groupId()));
    var services = new LoopServices(runner, metrics, journal, restorer, tracing);
    supervisor =
        new LoopSupervisor<>(
            "tool-executor-loop-" + config.instanceId(),
            () -> new ToolCallLoop(clients(catalogue), settings(catalogue), services),
            new Backoff(RESTART_INITIAL, RESTART_MAX));
    supervisor.start();
    meters.gauge("voicebus.tool.loop.restarts", supervisor, LoopSupervisor::restarts);
  }

  /**
   * The tools offered to the model now (name, description, parameters schema); after {@link
   * #start}. MCP tools come and go with their servers.
   */
  public List<ToolDefinition> definitions() {
    if (registry == null) {
      throw new IllegalStateException("Call start() first: MCP tools are listed on start-up");
    }
    return registry.definitions();
  }

  /** Whether the loop is consuming. */
  public boolean healthy() {
    return healthProblem().isEmpty();
  }

  /** Why the executor is not consuming right now (for {@code /healthz}); empty while it is. */
  public Optional<String> healthProblem() {
    if (supervisor == null) {
      return Optional.of("not started");
    }
    Optional<String> down = supervisor.problem();
    if (down.isPresent()) {
      return down;
    }
    if (supervisor.current().filter(ToolCallLoop::healthy).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("the tool call loop is starting");
  }

  /** How many times the tool call loop died and was replaced. */
  public int loopRestarts() {
    return supervisor == null ? 0 : supervisor.restarts();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meters;
  }

  /** The bound metrics/health port, if enabled. */
  public Optional<Integer> httpPort() {
    return http.map(AdminHttpServer::port);
  }

  /** Alive and ready while the loop consumes (restarted loops count once they consume again). */
  private AdminEndpoints adminEndpoints() {
    // "down: <reason>", as the README documents it.
    HealthCheck consuming = () -> healthProblem().map(problem -> "down: " + problem);
    return new AdminEndpoints(
        "tool-executor.http-port",
        config.httpHost(),
        config.httpPort(),
        meters,
        consuming,
        consuming);
  }

  private ToolRegistry buildRegistry() {
    var builder = ToolRegistry.builder(config::concurrencyOf);
    builder.addServiceLoaded(Thread.currentThread().getContextClassLoader());
    if (config.builtinsEnabled()) {
      builder.addAll(
          BuiltinTools.all(config.ordersFile(), config.transferDirectory()),
          RegisteredTool.Source.BUILTIN);
    }
    builder.addAll(extraTools, RegisteredTool.Source.JAVA);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (WebhookToolConfig webhook : config.webhooks()) {
      builder.add(
          new WebhookTool(webhook, http, config.maxResultBytes()), RegisteredTool.Source.WEBHOOK);
    }
    ToolRegistry built = builder.build();
    for (RegisteredTool tool : built.tools()) {
      if (tool.permits().limit() >= config.threads()) {
        log.warn(
            "Tool {} may run {} calls at once, as many as tool-executor.threads={}: a slow {} can"
                + " then hold every pool thread and delay other tools; set tools.concurrency.{}"
                + " below the thread count",
            tool.name(),
            tool.permits().limit(),
            config.threads(),
            tool.name(),
            tool.name());
      }
    }
    return built;
  }

  /** Writes the execution journal: idempotent, outside transactions, acknowledged by all. */
  private KafkaProducer<byte[], byte[]> journalProducer() {
    Map<String, Object> producerConfig = kafka.clientConfig();
    producerConfig.put(
        ProducerConfig.CLIENT_ID_CONFIG, "tool-executor-journal-" + config.instanceId());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(
        producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private LoopClients clients(TopicCatalogue catalogue) {
    Map<String, Object> consumerConfig = kafka.clientConfig();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "tool-executor-" + config.instanceId());
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxInFlight());
    Map<String, Object> producerConfig = kafka.clientConfig();
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "tool-executor-" + config.instanceId());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    var producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    var consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    bindClientMeters(new KafkaClientMetrics(producer));
    bindClientMeters(new KafkaClientMetrics(consumer));
    var deadLetters =
        new DeadLetterPublisher(producer, catalogue.name(Topics.DLQ), config.groupId());
    return new LoopClients(consumer, producer, deadLetters);
  }

  private synchronized void bindClientMeters(KafkaClientMetrics binder) {
    binder.bindTo(meters);
    clientMeters.add(binder);
  }

  private Consumer<byte[], byte[]> restoreConsumer() {
    Map<String, Object> restoreConfig = kafka.clientConfig();
    restoreConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    restoreConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    restoreConfig.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "tool-executor-restore-" + config.instanceId());
    return new KafkaConsumer<>(
        restoreConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private LoopSettings settings(TopicCatalogue catalogue) {
    return new LoopSettings(
        catalogue.name(Topics.TOOL_CALLS),
        catalogue.name(Topics.TOOL_RESULTS),
        catalogue.name(Topics.TOOL_DEDUPE),
        config.maxInFlight(),
        Duration.ofSeconds(10),
        config.dedupeRetention());
  }

  /**
   * Stops like a crash (for failure tests): publishes and commits nothing more, interrupts running
   * tools, and closes the clients without waiting. Then {@link #close()} releases the rest.
   */
  public synchronized void halt() {
    if (supervisor != null && !halted) {
      halted = true;
      // First, so nothing the interrupted tools return is published or recorded.
      supervisor.current().ifPresent(ToolCallLoop::halt);
      supervisor.stop(STOP_TIMEOUT);
      journal.closeNow();
      pool.shutdownNow();
    }
  }

  @Override
  public synchronized void close() {
    http.ifPresent(AdminHttpServer::close);
    if (supervisor != null) {
      supervisor.stop(STOP_TIMEOUT);
    }
    if (pool != null) {
      pool.shutdownNow();
      timers.shutdownNow();
    }
    if (journal != null && !halted) {
      journal.close();
    }
    if (catalogue != null) {
      catalogue.close();
    }
    mcpLinks.forEach(McpServerLink::close);
    if (mcpScheduler != null) {
      mcpScheduler.shutdownNow();
    }
    clientMeters.forEach(KafkaClientMetrics::close);
    if (processMeters != null) {
      processMeters.close();
    }
    meters.close();
    if (schemaStore != null) {
      schemaStore.close();
    }
    tracing.close();
    log.info("Tool executor {} stopped", config.instanceId());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
