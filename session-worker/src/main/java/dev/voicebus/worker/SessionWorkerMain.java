package dev.voicebus.worker;

import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.observability.metrics.ServiceMeters;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.worker.admin.WorkerAdminServer;
import dev.voicebus.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs one session worker against an existing Kafka cluster. Settings come from system properties,
 * {@code VOICEBUS_*} environment variables and an optional properties file given as the first
 * argument; the topics are created if missing and co-partitioning is checked before start. The
 * admin port ({@code worker.admin-port}) serves health, readiness and Prometheus metrics.
 */
public final class SessionWorkerMain {

  private SessionWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    var source = ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    LogFormat.configure(source);
    var kafka = KafkaSettings.from(source);
    var config = WorkerConfig.from(source);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    var registry = ServiceMeters.registry("voicebus-session-worker");
    var processMeters = ProcessMeters.bindTo(registry);
    var worker = new SessionWorkerService(config, kafka, registry);
    var adminServer =
        new WorkerAdminServer(
            config.adminHost(),
            config.adminPort(),
            registry,
            worker::state,
            worker::realtimeStatus);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  // The admin port closes after the worker, so probes and scrapes see the
                  // hand-over.
                  adminServer.close();
                  processMeters.close();
                  registry.close();
                  stopped.countDown();
                },
                "voicebus-worker-shutdown"));
    worker.start();
    stopped.await();
  }
}
