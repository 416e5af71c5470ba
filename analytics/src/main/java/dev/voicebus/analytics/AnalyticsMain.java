package dev.voicebus.analytics;

import dev.voicebus.analytics.config.AnalyticsConfig;
import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.observability.metrics.ProcessMeters;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.schemas.topic.TopicBootstrap;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the analytics service against an existing Kafka cluster. Settings come from system
 * properties, {@code VOICEBUS_*} environment variables and an optional properties file given as the
 * first argument; missing topics are created ({@code analytics.create-topics}). The admin port
 * ({@code analytics.admin-port}) serves health, readiness and Prometheus metrics.
 */
public final class AnalyticsMain {

  private AnalyticsMain() {}

  public static void main(String[] args) throws InterruptedException {
    var source = ConfigSource.load(Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null));
    LogFormat.configure(source);
    var kafka = KafkaSettings.from(source);
    var config = AnalyticsConfig.from(source);
    if (config.createTopics()) {
      try (var admin = Admin.create(kafka.clientConfig())) {
        new TopicBootstrap(admin, kafka.catalogue(), Duration.ofSeconds(30)).ensureTopics();
      }
    }
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var processMeters = ProcessMeters.bindTo(registry);
    var service = new AnalyticsService(config, kafka, registry);
    var admin =
        new AdminHttpServer(
            new AdminEndpoints(
                "analytics.admin-port",
                config.listen().adminHost(),
                config.listen().adminPort(),
                registry,
                service.liveness(),
                service.readiness()));
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  admin.close();
                  processMeters.close();
                  registry.close();
                  stopped.countDown();
                },
                "voicebus-analytics-shutdown"));
    service.start();
    stopped.await();
  }
}
