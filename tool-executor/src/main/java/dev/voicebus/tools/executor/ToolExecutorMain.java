package dev.voicebus.tools.executor;

import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.tools.config.ToolExecutorConfig;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the tool executor alone: {@code ToolExecutorMain [settings.properties]}. Reads the settings,
 * creates missing topics, starts, and stops gracefully on SIGTERM.
 */
public final class ToolExecutorMain {

  private ToolExecutorMain() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigSource source =
        ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    LogFormat.configure(source);
    KafkaSettings kafka = KafkaSettings.from(source);
    ToolExecutorConfig config = ToolExecutorConfigReader.read(source);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30)).ensureTopics();
    }
    var service = new ToolExecutorService(config, kafka);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "tool-executor-shutdown"));
    service.start();
    stopped.await();
  }
}
