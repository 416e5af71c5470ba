package dev.voicebus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.launcher.load.LoadReport;
import dev.voicebus.launcher.load.LoadSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The direct bridge carries calls end to end against the sandbox, tool call included. */
class DirectBridgeTest {

  @Test
  void callerHearsTheAgentAndTheToolIsAnswered() throws Exception {
    LoadReport report =
        Targets.bridge(new LoadSettings(2, Duration.ofSeconds(10), 20, Duration.ZERO), line -> {});

    assertThat(report.connected()).isEqualTo(2);
    assertThat(report.failed()).isZero();
    assertThat(report.agentFramesHeard()).isPositive();
    assertThat(report.responsesHeard()).isGreaterThanOrEqualTo(2);
    assertThat(report.toolOverhead().count()).isPositive();
    assertThat(report.inbound().count())
        .isPositive()
        .isLessThanOrEqualTo(report.callerFramesSent());
    assertThat(report.outbound().count()).isPositive();
    var integrity = report.integrity().orElseThrow();
    assertThat(integrity.framesReceived()).isEqualTo(report.callerFramesSent());
    assertThat(integrity.callsIntact()).isEqualTo(2);
  }
}
