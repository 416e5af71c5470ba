package dev.voicebus.webhooks.metrics;

import dev.voicebus.observability.metrics.LatencyTimers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The service's own meters (Prometheus names in the module README): events made from records,
 * records that could not be routed, HTTP attempts by outcome, deliveries, dead letters by reason,
 * delivery latency, and gauges of what is pending and whether consumption is paused. Tags are the
 * endpoint ids of the webhooks file, the event types and fixed outcome words, so their number is
 * bounded.
 */
public final class WebhookMetrics {

  private final MeterRegistry registry;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void event(String type) {
    Counter.builder("voicebus.webhooks.events").tag("type", type).register(registry).increment();
  }

  public void unroutable() {
    registry.counter("voicebus.webhooks.unroutable").increment();
  }

  /**
   * One HTTP attempt: {@code outcome} is {@code 2xx}, {@code 4xx}, {@code 408}, {@code 429}, {@code
   * 5xx}, {@code 3xx}, {@code timeout} or {@code error}.
   */
  public void attempt(String endpoint, String outcome) {
    Counter.builder("voicebus.webhooks.attempts")
        .tag("endpoint", endpoint)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void delivered(String endpoint, String type, Duration latency) {
    Counter.builder("voicebus.webhooks.delivered")
        .tag("endpoint", endpoint)
        .tag("type", type)
        .register(registry)
        .increment();
    LatencyTimers.builder("voicebus.webhooks.delivery.latency")
        .tag("endpoint", endpoint)
        .register(registry)
        .record(latency);
  }

  public void retry(String endpoint) {
    registry.counter("voicebus.webhooks.retries", "endpoint", endpoint).increment();
  }

  /** {@code reason}: rejected, retries_exhausted or backlog_full. */
  public void deadLettered(String endpoint, String reason) {
    Counter.builder("voicebus.webhooks.dead.lettered")
        .tag("endpoint", endpoint)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void deadLetterFailed() {
    registry.counter("voicebus.webhooks.dead.letter.failures").increment();
  }

  public void pending(String endpoint, Supplier<Number> pending) {
    registry.gauge(
        "voicebus.webhooks.pending",
        java.util.List.of(io.micrometer.core.instrument.Tag.of("endpoint", endpoint)),
        pending,
        p -> p.get().doubleValue());
  }

  public void paused(Supplier<Number> paused) {
    registry.gauge("voicebus.webhooks.consumer.paused", paused, p -> p.get().doubleValue());
  }

  public MeterRegistry registry() {
    return registry;
  }
}
