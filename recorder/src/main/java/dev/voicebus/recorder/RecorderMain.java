package dev.voicebus.recorder;

import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.recorder.config.RecorderConfig;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the recorder alone: {@code RecorderMain [settings.properties]}. Reads the settings, creates
 * missing topics, starts, and stops on SIGTERM (calls in progress are recorded by whichever
 * recorder takes their partitions, from the committed offsets).
 */
public final class RecorderMain {

  private RecorderMain() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigSource source =
        ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    LogFormat.configure(source);
    KafkaSettings kafka = KafkaSettings.from(source);
    RecorderConfig config = RecorderConfigReader.read(source);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30)).ensureTopics();
    }
    var service = new RecorderService(config, kafka);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "recorder-shutdown"));
    service.start();
    stopped.await();
  }
}
