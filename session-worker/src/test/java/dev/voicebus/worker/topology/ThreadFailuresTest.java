package dev.voicebus.worker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.worker.session.CallFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final CallFixture.MovableClock clock = new CallFixture.MovableClock(CallFixture.T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ThreadFailures failures = new ThreadFailures(registry, clock);

  @Test
  void aDeadThreadIsReplacedButNotInALoop() {
    for (int i = 0; i < ThreadFailures.MAX_FAILURES; i++) {
      assertThat(failures.handle(new IllegalStateException("boom")))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    assertThat(failures.handle(new IllegalStateException("boom again")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(registry.counter("voicebus.worker.stream.thread.failures").count()).isEqualTo(4);
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    for (int i = 0; i < 10; i++) {
      assertThat(failures.handle(new IllegalStateException("rare")))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      clock.advance(ThreadFailures.WINDOW.plus(Duration.ofSeconds(1)));
    }
  }

  @Test
  void anOutOfMemoryErrorShutsDownAtOnceButAStackOverflowIsReplaced() {
    assertThat(failures.handle(new StackOverflowError()))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.handle(new OutOfMemoryError("heap")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }
}
