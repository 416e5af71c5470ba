package dev.voicebus.observability.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * What a service's admin port serves and where it binds.
 *
 * @param portSetting the setting that chose the port (e.g. {@code worker.admin-port}), named when
 *     the port cannot be bound
 * @param host bind address
 * @param port bind port, 0 for an ephemeral one
 * @param registry the meters {@code /metrics} shows
 * @param liveness what {@code /healthz} answers: a problem there means "restart me"
 * @param readiness what {@code /readyz} answers: a problem there means "do not count on me now"
 */
public record AdminEndpoints(
    String portSetting,
    String host,
    int port,
    PrometheusMeterRegistry registry,
    HealthCheck liveness,
    HealthCheck readiness) {

  public AdminEndpoints {
    Objects.requireNonNull(portSetting, "portSetting");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(liveness, "liveness");
    Objects.requireNonNull(readiness, "readiness");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          portSetting + "=" + port + " is invalid: use a port from 0 to 65535");
    }
  }
}
