package dev.voicebus.analytics;

import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.analytics.http.ApiServer;
import dev.voicebus.analytics.live.CallEvents;
import dev.voicebus.analytics.live.LiveTranscripts;
import dev.voicebus.analytics.topology.AnalyticsTopology;
import dev.voicebus.analytics.topology.DeadLetterDeserializationHandler;
import dev.voicebus.analytics.topology.DeadLetterProcessingHandler;
import dev.voicebus.analytics.topology.DeadLetterProductionHandler;
import dev.voicebus.observability.admin.HealthCheck;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicCatalogue;
import dev.voicebus.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics service: the Kafka Streams application that assembles calls and usage (see {@link
 * AnalyticsTopology}) and the HTTP server for the query API and the console. {@link #start()} joins
 * the group and opens the API; {@link #close()} closes both in reverse order.
 */
public final class AnalyticsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);

  private final AnalyticsConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final ApiServer api;
  private final KafkaStreams streams;
  private final HostInfo self;
  private final CallEvents events = new CallEvents();
  private final LiveTranscripts live = new LiveTranscripts();

  public AnalyticsService(AnalyticsConfig config, KafkaSettings kafka, MeterRegistry registry) {
    this.config = config;
    try {
      if (config.streams().store() == AnalyticsConfig.StoreType.ROCKSDB) {
        requireRocksDb();
      }
      int outputPartitions = outputPartitions(kafka);
      this.api = register(new ApiServer(config, registry));
      this.self = new HostInfo(config.listen().advertisedHost().orElse(defaultHost()), api.port());
      var topology =
          AnalyticsTopology.build(
              kafka.catalogue(),
              outputPartitions,
              config,
              new AnalyticsTopology.Parts(events, live));
      this.streams = new KafkaStreams(topology, streamsProperties(config, kafka, self));
      register(
          () ->
              streams.close(
                  CloseOptions.groupMembershipOperation(
                          CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                      .withTimeout(Duration.ofSeconds(30))));
      register(new KafkaStreamsMetrics(streams)).bindTo(registry);
      streams.setUncaughtExceptionHandler(replaceThread());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T register(T component) {
    started.push(component);
    return component;
  }

  public void start() {
    streams.start();
    api.start(streams, self, events, live);
    log.info("Analytics service started as {}: {}", self, config);
  }

  /** The API and console port. */
  public int port() {
    return api.port();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Liveness: Streams has not failed for good. */
  public HealthCheck liveness() {
    return () -> {
      var state = streams.state();
      return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
          ? Optional.of("Kafka Streams is " + state)
          : Optional.empty();
    };
  }

  /** Readiness: Streams is RUNNING, so queries see every partition's stores. */
  public HealthCheck readiness() {
    return () ->
        streams.state() == KafkaStreams.State.RUNNING
            ? Optional.empty()
            : Optional.of("Kafka Streams is " + streams.state());
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.warn("Error while stopping the analytics service: {}", e.toString());
      }
    }
  }

  /**
   * The output group's partition count as it is on the cluster: the call-input records are
   * repartitioned to it. The three output topics read must agree, or calls would be split.
   */
  private static int outputPartitions(KafkaSettings kafka) {
    TopicCatalogue catalogue = kafka.catalogue();
    List<String> names =
        List.of(
            catalogue.name(Topics.TRANSCRIPTS),
            catalogue.name(Topics.TOOL_CALLS),
            catalogue.name(Topics.SESSION_EVENTS));
    Map<String, Integer> counts = new TreeMap<>();
    try (var admin = Admin.create(kafka.clientConfig())) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      topics.forEach((name, d) -> counts.put(name, d.partitions().size()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + names, e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot describe " + names + " (do they exist? analytics.create-topics): " + e, e);
    }
    if (counts.values().stream().distinct().count() != 1) {
      throw new IllegalStateException(
          "the analytics service needs "
              + names
              + " to have the same partition count, found "
              + counts
              + ": one call's records would land in different tasks");
    }
    return counts.values().iterator().next();
  }

  static Properties streamsProperties(AnalyticsConfig config, KafkaSettings kafka, HostInfo self) {
    var s = config.streams();
    var props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.streamThreads());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, s.standbyReplicas());
    props.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.guarantee().streamsValue());
    if (kafka.topics().replicationFactor() > 0) {
      props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.topics().replicationFactor());
    }
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    props.put(
        DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, kafka.catalogue().name(Topics.DLQ));
    return props;
  }

  /** A stream thread that dies of something no record handler caught is replaced, and logged. */
  private static StreamsUncaughtExceptionHandler replaceThread() {
    return failure -> {
      if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
        log.error("Analytics stream thread failed; shutting this instance's Streams down", failure);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      log.error("Analytics stream thread failed; replacing it", failure);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    };
  }

  private String defaultHost() {
    String host = config.listen().host();
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  private static void requireRocksDb() {
    try {
      Class.forName("org.rocksdb.RocksDB");
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "analytics.store='rocksdb' is invalid here: RocksDB is not on the classpath (voicebus.jar"
              + " leaves it out); use in-memory, or run the analytics module's jar with its dependencies");
    }
  }
}
