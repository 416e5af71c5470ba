package dev.voicebus.worker;

import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.worker.config.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs one session worker against an existing Kafka cluster. Settings come from system properties,
 * {@code VOICEBUS_*} environment variables and an optional properties file given as the first
 * argument; the topics are created if missing and co-partitioning is checked before start.
 */
public final class SessionWorkerMain {

  private SessionWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    var source = ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    var kafka = KafkaSettings.from(source);
    var config = WorkerConfig.from(source);
    try (var admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30))
          .ensureTopics()
          .requireHealthy();
    }
    var worker = new SessionWorkerService(config, kafka, new SimpleMeterRegistry());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "voicebus-worker-shutdown"));
    worker.start();
    stopped.await();
  }
}
