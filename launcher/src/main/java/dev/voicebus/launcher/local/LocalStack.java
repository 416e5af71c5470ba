package dev.voicebus.launcher.local;

import dev.voicebus.ingest.IngestService;
import dev.voicebus.ingest.admin.IngestMetrics;
import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.tools.executor.ToolExecutorService;
import dev.voicebus.worker.SessionWorkerService;
import dev.voicebus.worker.config.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * Every Voicebus service in one process, for dev mode and the demo: an embedded KRaft broker with
 * the topics, the Realtime sandbox (or OpenAI when a key is given), a session worker, the tool
 * executor and an ingest node. Components are closed in reverse order of start.
 */
public final class LocalStack implements AutoCloseable {

  private static final String TWILIO_TOKEN = "ingest.twilio.auth-token";
  private static final String API_TOKEN = "ingest.api-token";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Consumer<String> progress;
  private EmbeddedKafkaBroker broker;
  private KafkaSettings kafka;
  private RealtimeSandbox sandbox;
  private IngestService ingest;
  private SessionWorkerService worker;
  private URI realtimeUri;
  private String twilioAuthToken;
  private String apiToken;

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
    kafka = KafkaSettings.from(config);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    if (options.openAiKey().isEmpty()) {
      progress.accept("Starting the Realtime sandbox...");
      sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
      started.push(sandbox);
      realtimeUri = sandbox.baseUri();
    } else {
      realtimeUri = WorkerConfig.OPENAI;
    }
    config = config.with(Map.of("worker.realtime-url", realtimeUri.toString()));
    progress.accept("Starting the tool executor...");
    var tools = new ToolExecutorService(ToolExecutorConfigReader.read(config), kafka);
    started.push(tools);
    tools.start();
    progress.accept("Starting a session worker...");
    worker = new SessionWorkerService(WorkerConfig.from(config), kafka, new SimpleMeterRegistry());
    started.push(worker);
    worker.start();
    progress.accept("Starting ingest...");
    ingest = new IngestService(IngestConfig.from(config), kafka);
    started.push(ingest);
    ingest.start();
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
    values.put("ingest.host", "127.0.0.1");
    values.put("ingest.port", String.valueOf(options.ingestPort()));
    values.put("ingest.admin-port", String.valueOf(options.adminPort()));
    values.put("ingest.default-agent-profile", "support");
    values.put("tool-executor.http-port", "0");
    values.putAll(options.extraSettings());
    generateUnlessGiven(values, TWILIO_TOKEN, "dev-twilio-");
    generateUnlessGiven(values, API_TOKEN, "dev-api-");
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

  /** The ingest node's meters. */
  public dev.voicebus.worker.session.WorkerMetrics workerMetrics() {
    return worker.metrics();
  }

  public IngestMetrics ingestMetrics() {
    return ingest.metrics();
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
