package dev.voicebus.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownTest {

  private final List<String> closed = new ArrayList<>();
  private final Shutdown shutdown = new Shutdown();

  @Test
  void closesInReverseOrderOfCreation() {
    shutdown.register(() -> closed.add("client"));
    shutdown.onClose(() -> closed.add("flush"));
    shutdown.register(() -> closed.add("streams"));

    shutdown.run();

    assertThat(closed).containsExactly("streams", "flush", "client");
  }

  @Test
  void runsEveryStepAndThrowsTheFirstFailureWithTheOthersSuppressed() {
    shutdown.register(() -> closed.add("client"));
    shutdown.onClose(
        () -> {
          throw new IllegalStateException("producer close failed");
        });
    shutdown.onClose(
        () -> {
          throw new java.io.IOException("streams close failed");
        });

    assertThatThrownBy(shutdown::run)
        .hasMessageContaining("streams close failed")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(s -> assertThat(s).hasMessage("producer close failed")));
    assertThat(closed).containsExactly("client");
  }
}
