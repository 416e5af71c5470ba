package dev.voicebus.worker;

import dev.voicebus.observability.trace.Tracing;
import dev.voicebus.realtime.client.ConnectionStatus;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.serde.SchemaStores;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.worker.config.ProfileCatalog;
import dev.voicebus.worker.config.WorkerConfig;
import dev.voicebus.worker.metrics.WorkerMetrics;
import dev.voicebus.worker.output.OutputPublisher;
import dev.voicebus.worker.runtime.RealtimeSessions;
import dev.voicebus.worker.runtime.SessionServices;
import dev.voicebus.worker.runtime.Shutdown;
import dev.voicebus.worker.topology.DeadLetterDeserializationHandler;
import dev.voicebus.worker.topology.DeadLetterProcessingHandler;
import dev.voicebus.worker.topology.DeadLetterProductionHandler;
import dev.voicebus.worker.topology.ThreadFailures;
import dev.voicebus.worker.topology.WorkerTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session worker: a Kafka Streams application that owns calls by partition of the co-partitioned
 * call inputs, plus the shared Realtime client, output producer and timer thread its live calls
 * use. {@link #start()} joins the group; {@link #close()} hands the calls over and leaves it.
 */
public final class SessionWorkerService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionWorkerService.class);

  private final WorkerConfig config;
  private final KafkaStreams streams;
  private final WorkerMetrics metrics;
  private final Shutdown shutdown = new Shutdown();
  private final RealtimeClient realtime;

  /** A worker traced as the environment's {@code OTEL_*} variables say (off unless configured). */
  public SessionWorkerService(WorkerConfig config, KafkaSettings kafka, MeterRegistry registry) {
    this(config, kafka, registry, Tracing.fromEnvironment("voicebus-session-worker"));
  }

  /** A worker whose call, turn and tool call spans go to {@code tracing} (closed with it). */
  public SessionWorkerService(
      WorkerConfig config, KafkaSettings kafka, MeterRegistry registry, Tracing tracing) {
    this.config = config;
    shutdown.register(tracing);
    var profiles = ProfileCatalog.load(config.profilesFile());
    this.metrics = new WorkerMetrics(registry);
    try {
      shutdown.register(SchemaStores.install(kafka));
      this.realtime = shutdown.register(new RealtimeClient(config.realtimeClientConfig()));
      var out =
          shutdown.register(
              new OutputPublisher(
                  kafka.clientConfig(), kafka.catalogue(), config.outputQueueCapacity(), registry));
      // Whatever the calls published before the hand-over reaches Kafka before the producer closes.
      shutdown.onClose(out::flush);
      ScheduledExecutorService timers =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                var thread = new Thread(r, "voicebus-worker-timers");
                thread.setDaemon(true);
                return thread;
              });
      shutdown.onClose(timers::shutdownNow);
      var services =
          new SessionServices(
              realtime, out, timers, Clock.systemUTC(), metrics, config.callSettings(), tracing);
      var topology =
          WorkerTopology.build(
              kafka.catalogue(), new RealtimeSessions(services), profiles, out, metrics);
      this.streams = new KafkaStreams(topology, streamsProperties(config, kafka));
      // Hands the calls over and leaves the group at once, so the survivors take the calls
      // without waiting for the session timeout.
      shutdown.onClose(
          () ->
              streams.close(
                  CloseOptions.groupMembershipOperation(
                          CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                      .withTimeout(Duration.ofSeconds(30))));
      var streamsMetrics = shutdown.register(new KafkaStreamsMetrics(streams));
      streamsMetrics.bindTo(registry);
    } catch (RuntimeException e) {
      try {
        shutdown.run();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    streams.setUncaughtExceptionHandler(new ThreadFailures(registry));
  }

  public void start() {
    streams.start();
    log.info("Session worker {} started: {}", config.applicationId(), config);
  }

  /** This worker's meters (also registered in the registry it was given). */
  public WorkerMetrics metrics() {
    return metrics;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** When the Realtime endpoint last accepted and refused a connection (for readiness). */
  public ConnectionStatus realtimeStatus() {
    return realtime.connectionStatus();
  }

  /**
   * Stops in reverse order of start-up, each step even if an earlier one fails: Kafka Streams hands
   * every live call over (its session closed, its state committed) and leaves the group, then the
   * timer thread stops, the calls' last records are flushed and the producer closed, then the
   * Realtime client.
   */
  @Override
  public void close() {
    shutdown.run();
    log.info("Session worker {} stopped", config.applicationId());
  }

  static Properties streamsProperties(WorkerConfig config, KafkaSettings kafka) {
    var props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    // State changes reach the changelog within milliseconds, narrowing what a crash can lose.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    // Tool results are written in the executor's transactions: act only on committed ones. The
    // other inputs have no transactions, so their records are not held back by it.
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
    props.put(
        DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, kafka.catalogue().name(Topics.DLQ));
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) config.sessionTimeout().toMillis());
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) config.heartbeatInterval().toMillis());
    return props;
  }
}
