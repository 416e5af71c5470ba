package dev.voicebus.launcher.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.launcher.bench.Targets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A small load test through the whole embedded deployment (broker, ingest, worker, tool executor,
 * sandbox over real sockets): the report's figures must come from real traffic.
 */
class EmbeddedLoadTest {

  @Test
  void reportCountsRealTrafficLatenciesAndToolRoundTrips() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    LoadReport report =
        Targets.voicebus(
            new LoadSettings(3, Duration.ofSeconds(10), 20, Duration.ZERO),
            Map.of(),
            progress::add);

    assertThat(report.connected()).isEqualTo(3);
    assertThat(report.failed()).isZero();
    assertThat(report.callerFramesSent()).isEqualTo(3 * 500);
    AudioIntegrity integrity = report.integrity().orElseThrow();
    assertThat(integrity.framesReceived()).isEqualTo(report.callerFramesSent());
    assertThat(integrity.framesLost()).isZero();
    assertThat(integrity.framesDuplicated()).isZero();
    assertThat(integrity.callsIntact()).isEqualTo(3);
    // Frames held until a session opens are sent without a latency sample.
    assertThat(report.inbound().count()).isPositive().isLessThanOrEqualTo(3 * 500);
    assertThat(report.outbound().count()).isPositive();
    assertThat(report.toolOverhead().count()).isPositive();
    assertThat(report.agentFramesHeard()).isPositive();
    assertThat(report.responsesHeard()).isGreaterThanOrEqualTo(3);
    assertThat(report.cpuCores()).isPositive();
    assertThat(progress).anyMatch(line -> line.contains("calls live"));
  }
}
