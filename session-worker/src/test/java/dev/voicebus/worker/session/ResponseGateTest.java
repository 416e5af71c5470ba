package dev.voicebus.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseGateTest {

  private final ResponseGate gate = new ResponseGate();

  @Test
  void sendsACreateOnlyWhenNothingIsActive() {
    assertThat(gate.requestCreate()).isTrue();
    assertThat(gate.requestCreate()).as("already requested").isFalse();
    gate.onCreated("resp_1");
    assertThat(gate.requestCreate()).as("a response is active").isFalse();
  }

  @Test
  void sendsTheRememberedCreateWhenTheActiveResponseIsDone() {
    gate.onCreated("resp_vad");
    assertThat(gate.requestCreate()).isFalse();

    assertThat(gate.onDone()).isTrue();
    assertThat(gate.state()).isEqualTo(ResponseGate.State.REQUESTED);
    gate.onCreated("resp_2");
    assertThat(gate.onDone()).as("nothing more pending").isFalse();
    assertThat(gate.state()).isEqualTo(ResponseGate.State.IDLE);
  }

  @Test
  void retriesAfterTheServerSaysAResponseIsAlreadyActive() {
    assertThat(gate.requestCreate()).isTrue();
    gate.onAlreadyActive();

    assertThat(gate.onDone()).isTrue();
  }

  @Test
  void resetForgetsEverythingOnANewSession() {
    gate.onCreated("resp_1");
    gate.requestCreate();
    gate.reset();

    assertThat(gate.state()).isEqualTo(ResponseGate.State.IDLE);
    assertThat(gate.requestCreate()).isTrue();
  }
}
