package dev.voicebus.recorder;

import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.observability.admin.HealthCheck;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.recorder.config.RecorderConfig;
import dev.voicebus.recorder.loop.Finaliser;
import dev.voicebus.recorder.loop.LoopClients;
import dev.voicebus.recorder.loop.LoopSettings;
import dev.voicebus.recorder.loop.RecorderLoop;
import dev.voicebus.recorder.loop.RecorderLoops;
import dev.voicebus.recorder.loop.RecorderMetrics;
import dev.voicebus.recorder.storage.LocalDirectoryStore;
import dev.voicebus.recorder.storage.RecordingStore;
import dev.voicebus.recorder.storage.RetentionSweeper;
import dev.voicebus.recorder.storage.S3Store;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.dlq.DeadLetterPublisher;
import dev.voicebus.schemas.serde.KafkaSchemaStore;
import dev.voicebus.schemas.serde.SchemaStores;
import dev.voicebus.schemas.supervision.Backoff;
import dev.voicebus.schemas.supervision.LoopSupervisor;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The recorder as one component: opens the store, starts the finaliser (and stores what an earlier
 * run left in its outbox), runs the {@link RecorderLoop} under a {@link LoopSupervisor} (a loop
 * that dies is replaced after 100 ms, doubling up to 10 s), sweeps expired recordings when a
 * retention is set, and serves health, readiness and metrics on its admin port. Closes everything
 * in reverse order. {@link RecorderMain} runs it alone; the launcher embeds it in dev mode.
 */
public final class RecorderService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecorderService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final RecorderConfig config;
  private final KafkaSettings kafka;
  private final Clock clock;
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<KafkaClientMetrics> clientMeters = new ArrayList<>();
  private final RecorderMetrics metrics = new RecorderMetrics(meters);
  private ProcessMeters processMeters;
  private KafkaSchemaStore schemaStore;
  private RecordingStore store;
  private KafkaProducer<byte[], byte[]> producer;
  private ScheduledExecutorService pool;
  private ScheduledExecutorService timers;
  private LoopSupervisor<RecorderLoop> supervisor;
  private RetentionSweeper sweeper;
  private Optional<AdminHttpServer> http = Optional.empty();

  public RecorderService(RecorderConfig config, KafkaSettings kafka) {
    this(config, kafka, Clock.systemUTC());
  }

  /** With the clock retention counts from (tests move it). */
  public RecorderService(RecorderConfig config, KafkaSettings kafka, Clock clock) {
    this.config = config;
    this.kafka = kafka;
    this.clock = clock;
  }

  public synchronized void start() {
    if (supervisor != null) {
      throw new IllegalStateException("The recorder is already started");
    }
    TopicCatalogue catalogue = kafka.catalogue();
    RecorderLoops.requireCoPartitioned(kafka, catalogue, Duration.ofSeconds(30));
    processMeters = ProcessMeters.bindTo(meters);
    schemaStore = SchemaStores.install(kafka);
    try {
      store = openStore();
      prepareWorkDir();
      producer = producer();
      pool = Executors.newScheduledThreadPool(config.threads(), daemonThreads("recorder-finish-"));
      timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("recorder-retention-"));
      var finaliser =
          new Finaliser(
              store,
              producer,
              new Finaliser.Settings(
                  catalogue.name(Topics.SESSION_EVENTS),
                  config.workDir().resolve("outbox"),
                  config.uploadInitialBackoff(),
                  config.uploadMaxBackoff()),
              pool,
              metrics,
              clock);
      finaliser.resumeOutbox();
      LoopSettings settings = RecorderLoops.settings(catalogue, config);
      supervisor =
          new LoopSupervisor<>(
              "recorder-loop-" + config.instanceId(),
              () -> RecorderLoops.loop(clients(catalogue), settings, config, finaliser, metrics),
              new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)));
      supervisor.start();
      meters.gauge("voicebus.recorder.loop.restarts", supervisor, LoopSupervisor::restarts);
      config.retention().ifPresent(this::scheduleRetention);
      if (config.adminPort() >= 0) {
        http = Optional.of(new AdminHttpServer(adminEndpoints()));
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("The recorder cannot start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "Recorder {} started: recordings go to {}{}",
        config.instanceId(),
        store.describe(),
        config.retention().map(r -> ", kept for " + r).orElse(", kept until deleted"));
  }

  private RecordingStore openStore() throws IOException {
    if (config.storage() instanceof RecorderConfig.Storage.S3 s3) {
      return new S3Store(s3.settings());
    }
    return new LocalDirectoryStore(((RecorderConfig.Storage.Local) config.storage()).dir());
  }

  /** Working files of calls an earlier run was recording are stale: those calls are re-read. */
  private void prepareWorkDir() throws IOException {
    Path calls = config.workDir().resolve("calls");
    if (Files.isDirectory(calls)) {
      try (var walk = Files.walk(calls)) {
        for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    Files.createDirectories(calls);
    Files.createDirectories(config.workDir().resolve("outbox"));
  }

  private void scheduleRetention(Duration retention) {
    sweeper =
        new RetentionSweeper(
            store,
            retention,
            clock,
            () -> supervisor.current().filter(loop -> loop.owns(0)).isPresent(),
            metrics::retentionDeleted);
    long every = config.sweepInterval().toMillis();
    timers.scheduleWithFixedDelay(sweeper, every, every, TimeUnit.MILLISECONDS);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> producerConfig = kafka.clientConfig();
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "recorder-" + config.instanceId());
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    var created =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    bindClientMeters(new KafkaClientMetrics(created));
    return created;
  }

  private LoopClients clients(TopicCatalogue catalogue) {
    Map<String, Object> groupConfig = kafka.clientConfig();
    groupConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    groupConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "recorder-" + config.instanceId());
    groupConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    groupConfig.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        config.startAt().name().toLowerCase(java.util.Locale.ROOT));
    // Range assignment gives one member the same partition number of every input topic.
    groupConfig.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    groupConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Object> replyConfig = kafka.clientConfig();
    replyConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "recorder-audio-out-" + config.instanceId());
    replyConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    replyConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    replyConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    var group =
        new KafkaConsumer<>(groupConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    var reply =
        new KafkaConsumer<>(replyConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    bindClientMeters(new KafkaClientMetrics(group));
    bindClientMeters(new KafkaClientMetrics(reply));
    return new LoopClients(
        group,
        reply,
        producer,
        new DeadLetterPublisher(producer, catalogue.name(Topics.DLQ), config.groupId()));
  }

  private synchronized void bindClientMeters(KafkaClientMetrics binder) {
    binder.bindTo(meters);
    clientMeters.add(binder);
  }

  /** Why the recorder is not consuming right now; empty while it is. */
  public Optional<String> healthProblem() {
    if (supervisor == null) {
      return Optional.of("not started");
    }
    Optional<String> down = supervisor.problem();
    if (down.isPresent()) {
      return down;
    }
    if (supervisor.current().filter(RecorderLoop::healthy).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("the recorder loop is starting");
  }

  private AdminEndpoints adminEndpoints() {
    HealthCheck consuming = this::healthProblem;
    return new AdminEndpoints(
        "recorder.admin-port",
        config.adminHost(),
        config.adminPort(),
        meters,
        consuming,
        consuming);
  }

  /** How many times the loop died and was replaced. */
  public int loopRestarts() {
    return supervisor == null ? 0 : supervisor.restarts();
  }

  /** Where recordings go (after {@link #start()}). */
  public RecordingStore store() {
    return store;
  }

  /** One retention sweep now (also run on its timer); 0 without a retention. */
  public int sweepNow() throws IOException {
    return sweeper == null ? 0 : sweeper.sweep();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meters;
  }

  public Optional<Integer> adminPort() {
    return http.map(AdminHttpServer::port);
  }

  @Override
  public synchronized void close() {
    http.ifPresent(AdminHttpServer::close);
    if (timers != null) {
      timers.shutdownNow();
    }
    if (supervisor != null) {
      supervisor.stop(STOP_TIMEOUT);
    }
    if (pool != null) {
      pool.shutdownNow();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (store != null) {
      store.close();
    }
    clientMeters.forEach(KafkaClientMetrics::close);
    if (processMeters != null) {
      processMeters.close();
    }
    meters.close();
    if (schemaStore != null) {
      schemaStore.close();
    }
    log.info("Recorder {} stopped", config.instanceId());
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
