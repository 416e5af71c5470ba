package dev.voicebus.ingest;

import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one ingest node: {@code java -cp ... dev.voicebus.ingest.IngestMain [settings.properties]}.
 * SIGTERM drains (no new calls; live calls continue up to {@code ingest.drain-timeout}).
 */
public final class IngestMain {

  private IngestMain() {}

  public static void main(String[] args) throws InterruptedException {
    var source =
        ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty());
    LogFormat.configure(source);
    var service = new IngestService(IngestConfig.from(source), KafkaSettings.from(source)).start();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "ingest-shutdown"));
    stopped.await();
  }
}
