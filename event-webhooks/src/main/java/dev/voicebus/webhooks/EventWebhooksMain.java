package dev.voicebus.webhooks;

import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the event-webhooks service alone: {@code EventWebhooksMain [settings.properties]}. Reads the
 * settings and the webhooks file, creates missing topics, starts, and stops gracefully on SIGTERM.
 */
public final class EventWebhooksMain {

  private EventWebhooksMain() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigSource source =
        ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    LogFormat.configure(source);
    KafkaSettings kafka = KafkaSettings.from(source);
    EventWebhooksConfig config = EventWebhooksConfig.from(source);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30)).ensureTopics();
    }
    var service = new EventWebhooksService(config, kafka);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "event-webhooks-shutdown"));
    service.start();
    stopped.await();
  }
}
