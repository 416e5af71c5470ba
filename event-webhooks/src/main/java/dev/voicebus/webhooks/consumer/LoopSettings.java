package dev.voicebus.webhooks.consumer;

import java.time.Duration;
import java.util.List;

/**
 * What one {@link EventLoop} consumes and how: the full names of the three source topics, how often
 * it commits, the pending deliveries at which it pauses, and how long a graceful stop waits for
 * deliveries in flight.
 */
public record LoopSettings(
    String callControlTopic,
    String sessionEventsTopic,
    String toolResultsTopic,
    Duration commitInterval,
    int maxPending,
    Duration shutdownGrace) {

  public List<String> topics() {
    return List.of(callControlTopic, sessionEventsTopic, toolResultsTopic);
  }
}
