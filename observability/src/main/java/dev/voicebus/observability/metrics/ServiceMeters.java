package dev.voicebus.observability.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry of one Voicebus service: every meter it exports carries {@code
 * service="<name>"} (e.g. {@code voicebus-session-worker}), so dashboards split by service whatever
 * the scrape configuration calls its jobs, and services sharing a JVM (dev mode) stay apart.
 */
public final class ServiceMeters {

  /** The label every meter of a service carries. */
  public static final String SERVICE_TAG = "service";

  private ServiceMeters() {}

  /** A new registry whose meters are tagged with {@code service}. */
  public static PrometheusMeterRegistry registry(String service) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(SERVICE_TAG, service);
    return registry;
  }
}
