package dev.voicebus.worker.admin;

import dev.voicebus.observability.admin.AdminEndpoints;
import dev.voicebus.observability.admin.AdminHttpServer;
import dev.voicebus.realtime.client.ConnectionStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The session worker's admin port ({@code worker.admin-port}, 8082): {@code /healthz}, {@code
 * /readyz} as {@link WorkerHealth} decides from the Kafka Streams state and the Realtime client's
 * {@link ConnectionStatus}, and {@code /metrics} from the worker's Prometheus registry. It only
 * reads what it is given, so it runs next to any worker build.
 */
public final class WorkerAdminServer implements AutoCloseable {

  private final AdminHttpServer server;

  public WorkerAdminServer(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<KafkaStreams.State> streams,
      Supplier<ConnectionStatus> realtime) {
    server =
        new AdminHttpServer(
            new AdminEndpoints(
                "worker.admin-port",
                host,
                port,
                registry,
                () -> WorkerHealth.livenessProblem(streams.get()),
                () -> WorkerHealth.readinessProblem(streams.get(), realtime.get())));
  }

  /** The bound port (the ephemeral one when configured as 0). */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
