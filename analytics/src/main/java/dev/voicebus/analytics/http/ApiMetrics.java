package dev.voicebus.analytics.http;

import dev.voicebus.analytics.live.CallEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's meters: {@code voicebus_analytics_http_requests_total{area,status}} and the open event
 * streams, {@code voicebus_analytics_event_streams}.
 */
final class ApiMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void bindEventStreams(CallEvents events) {
    Gauge.builder("voicebus.analytics.event.streams", events, CallEvents::subscriberCount)
        .description("Open call event streams served by this instance")
        .register(registry);
  }

  void answered(String area, int status) {
    String key = area + ":" + status;
    counters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("voicebus.analytics.http.requests")
                    .tag("area", area)
                    .tag("status", String.valueOf(status))
                    .register(registry))
        .increment();
  }
}
