package dev.voicebus.worker.admin;

import dev.voicebus.realtime.client.ConnectionStatus;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The worker's health decisions, free of I/O. Alive unless Kafka Streams gave up ({@code ERROR}:
 * every stream thread died, only a restart helps). Ready when Kafka Streams is {@code RUNNING} (it
 * owns its partitions and processes them) and the Realtime endpoint did not refuse the latest
 * connection attempt: a worker that has opened no session yet counts as ready, one whose last
 * connection failed (wrong key, endpoint down) is not until a connection succeeds again.
 */
public final class WorkerHealth {

  private WorkerHealth() {}

  /** Why the worker should be restarted, if it should. */
  public static Optional<String> livenessProblem(KafkaStreams.State streams) {
    return streams == KafkaStreams.State.ERROR
        ? Optional.of("Kafka Streams is in ERROR (every stream thread stopped)")
        : Optional.empty();
  }

  /** Why the worker is not ready, if it is not. */
  public static Optional<String> readinessProblem(
      KafkaStreams.State streams, ConnectionStatus realtime) {
    if (streams != KafkaStreams.State.RUNNING) {
      return Optional.of("Kafka Streams is " + streams + ", not RUNNING");
    }
    if (realtime.lastAttemptFailed()) {
      return Optional.of(
          "the Realtime endpoint refused the last connection at "
              + realtime.lastFailed().orElseThrow()
              + ": "
              + realtime.lastFailure().orElse("unknown error"));
    }
    return Optional.empty();
  }
}
