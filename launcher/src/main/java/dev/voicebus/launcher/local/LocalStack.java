package dev.voicebus.launcher.local;

import dev.voicebus.analytics.AnalyticsService;
import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.ingest.IngestService;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.observability.metrics.ServiceMeters;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.recorder.RecorderService;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.webhooks.EventWebhooksService;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import dev.voicebus.worker.SessionWorkerService;
import dev.voicebus.worker.admin.WorkerAdminServer;
import dev.voicebus.worker.config.WorkerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * Every Voicebus service in one process, for dev mode and the demo: an embedded KRaft broker with
 * the topics, the Realtime sandbox (or OpenAI when a key is given, or whatever {@code
 * worker.realtime-url} names), a session worker with its admin port, the tool executor, an ingest
 * node, and the analytics service with its console (pointed at this ingest's plain stream, and
 * taking the same bearer token). Components are closed in reverse order of start.
 */
public final class LocalStack implements AutoCloseable {

  /** Launcher-only: {@code false} leaves the recorder out (the benchmark does). */
  public static final String RECORDER_ENABLED = "recorder.enabled";

  private static final String TWILIO_TOKEN = "ingest.twilio.auth-token";
  private static final String API_TOKEN = "ingest.api-token";
  private static final String REALTIME_URL = "worker.realtime-url";
  private static final String API_KEY = "worker.openai-api-key";
  private static final String WEBHOOK_SECRET = "ingest.openai.webhook-secret";
  private static final String SIP_ROUTES = "ingest.sip.routes";
  private static final String OPENAI_API_URL = "ingest.openai.api-url";
  private static final String OPENAI_API_KEY = "ingest.openai.api-key";

  /** The number simulated SIP calls reach in dev mode unless ingest.sip.routes is set. */
  public static final String DEV_SIP_NUMBER = "+15550100000";

  /** Launcher setting: {@code false} leaves the analytics service out (the benchmark does). */
  public static final String ANALYTICS_ENABLED = "analytics.enabled";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Consumer<String> progress;
  private EmbeddedKafkaBroker broker;
  private KafkaSettings kafka;
  private RealtimeSandbox sandbox;
  private IngestService ingest;
  private SessionWorkerService worker;
  private WorkerAdminServer workerAdmin;
  private ToolExecutorService tools;
  private AnalyticsService analytics;
  private AdminHttpServer analyticsAdmin;
  private RecorderService recorder;
  private EventWebhooksService webhooks;
  private URI realtimeUri;
  private String twilioAuthToken;
  private String apiToken;
  private String sipRoutes;

  private LocalStack(Consumer<String> progress) {
    this.progress = progress;
  }

  /** Starts the whole stack; {@code options} are the settings the user gave. */
  public static LocalStack start(LocalOptions options, Consumer<String> progress) throws Exception {
    var stack = new LocalStack(progress);
    try {
      stack.startAll(options);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(LocalOptions options) throws Exception {
    progress.accept("Starting embedded Kafka (KRaft)...");
    broker =
        EmbeddedKafkaBroker.start(
            Map.of(
                "group.initial.rebalance.delay.ms", "0", "group.min.session.timeout.ms", "1000"));
    started.push(broker);
    ConfigSource config = ConfigSource.of(settings(options));
    // The tokens in effect: generated ones, unless the user gave a token or a file holding one.
    twilioAuthToken = config.get(TWILIO_TOKEN).orElseThrow();
    apiToken = config.get(API_TOKEN).orElseThrow();
    // A bad webhooks file fails here, before the other services start.
    Optional<EventWebhooksConfig> webhooksConfig =
        config.get(EventWebhooksConfig.WEBHOOKS_FILE).isPresent()
            ? Optional.of(EventWebhooksConfig.from(config))
            : Optional.empty();
    kafka = KafkaSettings.from(config);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    if (config.get(REALTIME_URL).isPresent()) {
      requireKeyForChosenEndpoint(options);
    } else if (options.openAiKey().isEmpty()) {
      progress.accept("Starting the Realtime sandbox...");
      sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
      started.push(sandbox);
      config = config.with(Map.of(REALTIME_URL, sandbox.baseUri().toString()));
      config = config.with(sipThroughSandbox(config));
    } else {
      config = config.with(Map.of(REALTIME_URL, WorkerConfig.OPENAI.toString()));
    }
    WorkerConfig workerConfig = WorkerConfig.from(config);
    realtimeUri = workerConfig.realtimeUri();
    progress.accept("Starting the tool executor...");
    tools =
        new ToolExecutorService(
            ToolExecutorConfigReader.read(config),
            kafka,
            List.of(),
            options.tracing().apply("voicebus-tool-executor"));
    started.push(tools);
    tools.start();
    if (config.bool(RECORDER_ENABLED, true)) {
      progress.accept("Starting the recorder...");
      recorder = new RecorderService(RecorderConfigReader.read(config), kafka);
      started.push(recorder);
      recorder.start();
      progress.accept("Recordings go to " + recorder.store().describe());
    }
    progress.accept("Starting a session worker...");
    var workerRegistry = ServiceMeters.registry("voicebus-session-worker");
    started.push(workerRegistry::close);
    started.push(ProcessMeters.bindTo(workerRegistry));
    worker =
        new SessionWorkerService(
            workerConfig,
            kafka,
            workerRegistry,
            options.tracing().apply("voicebus-session-worker"));
    started.push(worker);
    workerAdmin =
        new WorkerAdminServer(
            workerConfig.adminHost(),
            workerConfig.adminPort(),
            workerRegistry,
            worker::state,
            worker::realtimeStatus);
    started.push(workerAdmin);
    worker.start();
    progress.accept("Starting ingest...");
    IngestConfig ingestConfig = IngestConfig.from(config);
    ingest = new IngestService(ingestConfig, kafka, options.tracing().apply("voicebus-ingest"));
    started.push(ingest);
    ingest.start();
    sipRoutes = ingestConfig.sip().webhook() ? config.get(SIP_ROUTES).orElse("") : null;
    if (sandbox != null && ingestConfig.sip().webhook()) {
      sandbox
          .sip()
          .deliverWebhooksTo(
              URI.create("http://127.0.0.1:" + ingest.port() + "/openai/webhook"),
              ingestConfig.sip().webhookSecret().orElseThrow());
    }
    if (config.bool(ANALYTICS_ENABLED, true)) {
      startAnalytics(config);
    }
    // Only with a webhooks file: without endpoints the service has nothing to do.
    if (webhooksConfig.isPresent()) {
      progress.accept("Starting event webhooks...");
      webhooks = new EventWebhooksService(webhooksConfig.get(), kafka);
      started.push(webhooks);
      webhooks.start();
    }
  }

  private void startAnalytics(ConfigSource config) {
    progress.accept("Starting analytics...");
    Map<String, String> defaults = new HashMap<>();
    defaults.put("analytics.console.stream-url", "ws://127.0.0.1:" + ingest.port() + "/v1/stream");
    if (config.get("analytics.api-token").isEmpty()
        && config.get("analytics.tokens-file").isEmpty()) {
      // The console's one token works for both: the analytics API and ingest's plain stream.
      defaults.put("analytics.api-token", apiToken);
      defaults.put(
          "analytics.default-tenant-id", config.string("ingest.default-tenant-id", "default"));
    }
    defaults.keySet().removeIf(key -> config.get(key).isPresent());
    AnalyticsConfig analyticsConfig = AnalyticsConfig.from(config.with(defaults));
    var registry = ServiceMeters.registry("voicebus-analytics");
    started.push(registry::close);
    started.push(ProcessMeters.bindTo(registry));
    analytics = new AnalyticsService(analyticsConfig, kafka, registry);
    started.push(analytics);
    analyticsAdmin =
        new AdminHttpServer(
            new AdminEndpoints(
                "analytics.admin-port",
                analyticsConfig.listen().adminHost(),
                analyticsConfig.listen().adminPort(),
                registry,
                analytics.liveness(),
                analytics.readiness()));
    started.push(analyticsAdmin);
    analytics.start();
  }

  /**
   * With the sandbox, OpenAI's SIP path is played locally: the sandbox signs its webhooks with a
   * generated secret that ingest verifies, ingest rejects calls through the sandbox's calls API,
   * and calls to {@value #DEV_SIP_NUMBER} reach profile {@code support}; whatever the user set
   * stays.
   */
  private static Map<String, String> sipThroughSandbox(ConfigSource config) {
    Map<String, String> sip = new HashMap<>();
    URI calls = URI.create(config.get(REALTIME_URL).orElseThrow());
    if (config.get(WEBHOOK_SECRET).isEmpty()) {
      sip.put(WEBHOOK_SECRET, WebhookSecret.generate().reveal());
    }
    if (config.get(SIP_ROUTES).isEmpty()) {
      sip.put(SIP_ROUTES, DEV_SIP_NUMBER + "=support");
    }
    if (config.get(OPENAI_API_URL).isEmpty()) {
      sip.put(OPENAI_API_URL, calls.toString());
    }
    if (config.get(OPENAI_API_KEY).isEmpty()) {
      sip.put(OPENAI_API_KEY, config.get(API_KEY).orElseThrow());
    }
    return sip;
  }

  /**
   * A user-chosen Realtime endpoint (an Azure OpenAI resource, a proxy) gets the user's key, never
   * the sandbox placeholder: fail before anything connects.
   */
  private static void requireKeyForChosenEndpoint(LocalOptions options) {
    if (options.openAiKey().isEmpty() && !options.extraSettings().containsKey(API_KEY)) {
      throw new IllegalArgumentException(
          REALTIME_URL
              + " is set, so the sandbox is not used: give its key with --openai-key,"
              + " OPENAI_API_KEY or --set "
              + API_KEY
              + "=...");
    }
  }

  private Map<String, String> settings(LocalOptions options) throws Exception {
    Path state = Files.createTempDirectory("voicebus-dev-state-");
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", broker.bootstrapServers());
    values.put("topics.partitions.call-input", "6");
    values.put("topics.partitions.reply", "1");
    values.put("topics.partitions.output", "6");
    values.put("topics.replication-factor", "1");
    values.put("worker.openai-api-key", options.openAiKey().orElse("sk-sandbox"));
    values.put("worker.state-dir", state.toString());
    values.put("worker.standby-replicas", "0");
    values.put("worker.session-timeout", "3s");
    values.put("worker.stream-threads", "1");
    values.put("worker.admin-host", "127.0.0.1");
    values.put("worker.admin-port", "0");
    values.put("ingest.host", "127.0.0.1");
    values.put("ingest.port", String.valueOf(options.ingestPort()));
    values.put("ingest.admin-port", String.valueOf(options.adminPort()));
    values.put("ingest.default-agent-profile", "support");
    values.put("tool-executor.http-port", "0");
    values.put("tool-executor.http-host", "127.0.0.1");
    values.put("analytics.host", "127.0.0.1");
    values.put("analytics.port", "0");
    values.put("analytics.admin-host", "127.0.0.1");
    values.put("analytics.admin-port", "0");
    values.put(
        "analytics.state-dir", Files.createTempDirectory("voicebus-dev-analytics-").toString());
    values.put("analytics.publish-interval", "500ms");
    values.put("recorder.admin-host", "127.0.0.1");
    values.put("recorder.admin-port", "0");
    values.put("recorder.local.dir", Path.of("recordings").toAbsolutePath().toString());
    values.put("recorder.work-dir", Files.createTempDirectory("voicebus-dev-recorder-").toString());
    values.put("recorder.start-at", "earliest");
    values.put("event-webhooks.admin-host", "127.0.0.1");
    values.put("event-webhooks.admin-port", "0");
    values.putAll(options.extraSettings());
    generateUnlessGiven(values, TWILIO_TOKEN, "dev-twilio-");
    generateUnlessGiven(values, API_TOKEN, "dev-api-");
    boolean sipWebhook =
        values.containsKey(WEBHOOK_SECRET) || values.containsKey(WEBHOOK_SECRET + ".file");
    if (sipWebhook
        && options.openAiKey().isPresent()
        && !values.containsKey(OPENAI_API_KEY)
        && !values.containsKey(OPENAI_API_KEY + ".file")) {
      // OpenAI's SIP webhook set up by the user: reject calls with the same project key.
      values.put(OPENAI_API_KEY, options.openAiKey().get());
    }
    return values;
  }

  private static void generateUnlessGiven(Map<String, String> values, String key, String prefix) {
    if (!values.containsKey(key) && !values.containsKey(key + ConfigSource.FILE_SUFFIX)) {
      values.put(key, prefix + UUID.randomUUID());
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public KafkaSettings kafka() {
    return kafka;
  }

  public URI realtimeUri() {
    return realtimeUri;
  }

  public Optional<RealtimeSandbox> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  public int ingestPort() {
    return ingest.port();
  }

  public int adminPort() {
    return ingest.adminPort();
  }

  /**
   * The tool executor's admin port ({@code /healthz}, {@code /readyz}, {@code /metrics}); none
   * unless {@code tool-executor.http-port} was set (it is off by default in the local stack).
   */
  /** The recorder, unless {@code recorder.enabled=false} left it out. */
  public Optional<RecorderService> recorder() {
    return Optional.ofNullable(recorder);
  }

  public Optional<Integer> toolExecutorAdminPort() {
    return tools.httpPort();
  }

  /**
   * The event-webhooks service's admin port ({@code /healthz}, {@code /readyz}, {@code /metrics});
   * none unless a webhooks file was given ({@code event-webhooks.webhooks-file}).
   */
  public Optional<Integer> eventWebhooksAdminPort() {
    return Optional.ofNullable(webhooks).map(EventWebhooksService::adminPort);
  }

  /** The session worker's admin port ({@code /healthz}, {@code /readyz}, {@code /metrics}). */
  public int workerAdminPort() {
    return workerAdmin.port();
  }

  /** The ingest node's meters. */
  public dev.voicebus.worker.metrics.WorkerMetrics workerMetrics() {
    return worker.metrics();
  }

  /** The analytics API and console port; empty when analytics is off. */
  public Optional<Integer> analyticsPort() {
    return Optional.ofNullable(analytics).map(AnalyticsService::port);
  }

  /** The analytics admin port ({@code /healthz}, {@code /readyz}, {@code /metrics}). */
  public Optional<Integer> analyticsAdminPort() {
    return Optional.ofNullable(analyticsAdmin).map(AdminHttpServer::port);
  }

  /** Where the web console is (no token in it); empty when analytics is off. */
  public Optional<String> consoleUrl() {
    return analyticsPort().map(port -> "http://127.0.0.1:" + port + "/console/");
  }

  public IngestMetrics ingestMetrics() {
    return ingest.metrics();
  }

  /**
   * The routes of OpenAI's SIP webhook ({@code POST /openai/webhook}) when it is on (always with
   * the sandbox, which then plays OpenAI's SIP side); empty when it is off.
   */
  public Optional<String> sipRoutes() {
    return Optional.ofNullable(sipRoutes);
  }

  public String twilioAuthToken() {
    return twilioAuthToken;
  }

  public String apiToken() {
    return apiToken;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        progress.accept("Error while stopping: " + e.getMessage());
      }
    }
  }
}
