package dev.voicebus.kafka.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one node), run
 * in-process from Apache Kafka's own server classes. It formats a fresh data directory, picks free
 * loopback ports, starts in a few seconds, can be stopped and started again on the same ports and
 * data (to test broker restarts), and deletes its data directory on {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;

  private EmbeddedKafkaBroker(
      Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    this.dataDir = dataDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.overrides = Map.copyOf(overrides);
  }

  /** Formats a new data directory and starts a broker on free ports with default settings. */
  public static EmbeddedKafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Formats a new data directory and starts a broker on free ports. {@code overrides} are broker
   * properties applied over the defaults (for example shorter group session timeouts).
   */
  public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
    Path dir;
    try {
      dir = Files.createTempDirectory("voicebus-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create a data directory for the embedded Kafka broker", e);
    }
    var broker = new EmbeddedKafkaBroker(dir, freePort(), freePort(), overrides);
    broker.format();
    broker.startServer();
    return broker;
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * Whether the broker is currently running (false between {@link #stop()} and {@link #restart()}).
   */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the broker down but keeps its data and ports, so {@link #restart()} brings it back. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    log.info("Stopping embedded Kafka broker at {}", bootstrapServers());
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  /** Starts a stopped broker again on the same ports with the same data. */
  public synchronized void restart() {
    if (server == null) {
      startServer();
    }
  }

  /** Stops the broker and deletes its data directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        log.warn("Could not delete the embedded Kafka data directory {}", dataDir, e);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers() + ", data=" + dataDir + "]";
  }

  private synchronized void startServer() {
    long started = System.nanoTime();
    var config = new KafkaConfig(properties(), false);
    var raftServer = new KafkaRaftServer(config, Time.SYSTEM);
    raftServer.startup();
    server = raftServer;
    log.info(
        "Embedded Kafka broker up at {} in {} ms (data {})",
        bootstrapServers(),
        (System.nanoTime() - started) / 1_000_000,
        dataDir);
  }

  private void format() {
    String logDir = dataDir.resolve("log").toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName("CONTROLLER")
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot format the embedded Kafka data directory " + logDir, e);
    }
  }

  private Map<String, Object> properties() {
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.resolve("log").toString());
    // A single node: every internal topic has one replica, and fewer partitions start faster.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.putAll(overrides);
    return props;
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port for the embedded Kafka broker", e);
    }
  }
}
