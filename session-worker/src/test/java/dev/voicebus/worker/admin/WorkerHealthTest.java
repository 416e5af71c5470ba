package dev.voicebus.worker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.realtime.client.ConnectionStatus;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class WorkerHealthTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final ConnectionStatus ACCEPTED =
      new ConnectionStatus(Optional.of(T0), Optional.empty(), Optional.empty());
  private static final ConnectionStatus REFUSED =
      new ConnectionStatus(
          Optional.of(T0), Optional.of(T0.plusSeconds(5)), Optional.of("HTTP 401 Unauthorized"));
  private static final ConnectionStatus RECOVERED =
      new ConnectionStatus(
          Optional.of(T0.plusSeconds(9)),
          Optional.of(T0.plusSeconds(5)),
          Optional.of("HTTP 401 Unauthorized"));

  @Test
  void readyOnlyWhileStreamsRuns() {
    assertThat(WorkerHealth.readinessProblem(State.RUNNING, ACCEPTED)).isEmpty();
    assertThat(WorkerHealth.readinessProblem(State.REBALANCING, ACCEPTED))
        .hasValue("Kafka Streams is REBALANCING, not RUNNING");
    assertThat(WorkerHealth.readinessProblem(State.CREATED, ACCEPTED)).isPresent();
  }

  @Test
  void aWorkerThatOpenedNoSessionYetIsReady() {
    assertThat(WorkerHealth.readinessProblem(State.RUNNING, ConnectionStatus.NONE)).isEmpty();
  }

  @Test
  void notReadyWhileTheLastRealtimeConnectionWasRefusedUntilOneSucceeds() {
    assertThat(WorkerHealth.readinessProblem(State.RUNNING, REFUSED))
        .hasValueSatisfying(
            p -> assertThat(p).contains("refused the last connection").contains("401"));
    assertThat(WorkerHealth.readinessProblem(State.RUNNING, RECOVERED)).isEmpty();
  }

  @Test
  void aliveUnlessStreamsGaveUp() {
    assertThat(WorkerHealth.livenessProblem(State.REBALANCING)).isEmpty();
    assertThat(WorkerHealth.livenessProblem(State.ERROR)).isPresent();
  }
}
