package dev.voicebus.schemas.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Restarts after exceptions and errors, stays down after a fatal JVM error, reports while down. */
class LoopSupervisorTest {

  private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20));
  private final List<ScriptedLoop> built = new CopyOnWriteArrayList<>();
  private LoopSupervisor<ScriptedLoop> supervisor;

  /** A loop that throws its scripted failure once started, or runs until stopped. */
  private static final class ScriptedLoop implements SupervisedLoop {
    private final Throwable failure;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean ran;
    private volatile boolean healthy = true;

    ScriptedLoop(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public void run() {
      ran = true;
      if (failure != null) {
        sneaky(failure);
      }
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void stop() {
      stopped.countDown();
    }

    @Override
    public boolean healthy() {
      return healthy;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
      throw (T) t;
    }
  }

  /** Builds loops failing with {@code failures} in order, then healthy ones. */
  private Supplier<ScriptedLoop> script(Throwable... failures) {
    return () -> {
      int n = built.size();
      var loop = new ScriptedLoop(n < failures.length ? failures[n] : null);
      built.add(loop);
      return loop;
    };
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void aLoopThatThrowsIsReplacedAndTheSupervisorIsHealthyAgain() {
    supervisor =
        new LoopSupervisor<>("test-loop", script(new IllegalStateException("boom")), FAST).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> built.size() == 2 && built.get(1).ran);
    assertThat(supervisor.problem()).isEmpty();
    assertThat(supervisor.restarts()).isEqualTo(1);
    assertThat(supervisor.current()).containsSame(built.get(1));
  }

  @Test
  void aReplacementCountsAsDownUntilItIsHealthy() {
    Supplier<ScriptedLoop> factory =
        () -> {
          var loop = new ScriptedLoop(built.isEmpty() ? new IllegalStateException("boom") : null);
          loop.healthy = false;
          built.add(loop);
          return loop;
        };
    supervisor = new LoopSupervisor<>("test-loop", factory, FAST).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> built.size() == 2 && built.get(1).ran);
    assertThat(supervisor.problem())
        .contains("test-loop is restarting after: IllegalStateException: boom");
    built.get(1).healthy = true;
    assertThat(supervisor.problem()).isEmpty();
    assertThat(supervisor.lastFailure()).contains("IllegalStateException: boom");
  }

  @Test
  void theFirstLoopIsNotReportedDownWhileItStarts() {
    Supplier<ScriptedLoop> factory =
        () -> {
          var loop = new ScriptedLoop(null);
          loop.healthy = false;
          built.add(loop);
          return loop;
        };
    supervisor = new LoopSupervisor<>("test-loop", factory, FAST).start();

    assertThat(supervisor.problem()).isEmpty();
    assertThat(supervisor.lastFailure()).isEmpty();
  }

  @Test
  void errorsThatLeaveTheJvmUsableAreRestartedToo() {
    supervisor =
        new LoopSupervisor<>(
                "test-loop",
                script(new AssertionError("bug"), new StackOverflowError(), new LinkageError("x")),
                FAST)
            .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> built.size() == 4 && built.get(3).ran);
    assertThat(supervisor.restarts()).isEqualTo(3);
    assertThat(supervisor.state()).isEqualTo(LoopSupervisor.State.RUNNING);
  }

  @Test
  void whileWaitingToRestartTheProblemNamesTheFailure() {
    var slow = new Backoff(Duration.ofHours(1), Duration.ofHours(1));
    supervisor =
        new LoopSupervisor<>("test-loop", script(new IllegalStateException("fenced")), slow)
            .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.problem().isPresent());
    assertThat(supervisor.problem().get())
        .isEqualTo("test-loop is down and restarting after: IllegalStateException: fenced");
    supervisor.stop(Duration.ofSeconds(5)); // interrupts the hour-long wait
    assertThat(supervisor.state()).isEqualTo(LoopSupervisor.State.STOPPED);
    assertThat(built).hasSize(1);
  }

  @Test
  void anOutOfMemoryErrorStopsItForGoodAndSaysToRestartTheProcess() {
    supervisor =
        new LoopSupervisor<>("test-loop", script(new OutOfMemoryError("Java heap space")), FAST)
            .start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> supervisor.state() == LoopSupervisor.State.FAILED);
    assertThat(supervisor.problem().get())
        .contains("fatal JVM error (OutOfMemoryError: Java heap space)")
        .contains("restart the process");
    assertThat(built).hasSize(1);
  }

  @Test
  void aLoopReturningWithoutBeingStoppedCountsAsAFailure() {
    var returnsAtOnce = new ScriptedLoop(null);
    returnsAtOnce.stop();
    Supplier<ScriptedLoop> factory =
        () -> {
          var loop = built.isEmpty() ? returnsAtOnce : new ScriptedLoop(null);
          built.add(loop);
          return loop;
        };
    supervisor = new LoopSupervisor<>("test-loop", factory, FAST).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> built.size() == 2 && built.get(1).ran);
    assertThat(supervisor.restarts()).isEqualTo(1);
  }

  @Test
  void stoppingStopsTheLoopAndNothingIsRestarted() {
    supervisor = new LoopSupervisor<>("test-loop", script(), FAST).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !built.isEmpty() && built.get(0).ran);

    supervisor.stop(Duration.ofSeconds(5));

    assertThat(supervisor.state()).isEqualTo(LoopSupervisor.State.STOPPED);
    assertThat(supervisor.problem()).contains("test-loop is stopped");
    assertThat(built).hasSize(1);
  }

  @Test
  void aFactoryFailingOnStartFailsTheCaller() {
    supervisor =
        new LoopSupervisor<ScriptedLoop>(
            "test-loop",
            () -> {
              throw new IllegalArgumentException("kafka.bootstrap.servers is invalid");
            },
            FAST);

    assertThatThrownBy(supervisor::start).hasMessageContaining("bootstrap.servers");
  }

  @Test
  void backoffDoublesUpToItsMaximumWithJitterBelowEachStep() {
    var backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));

    assertThat(backoff.next().toMillis()).isBetween(80L, 100L);
    assertThat(backoff.next().toMillis()).isBetween(160L, 200L);
    assertThat(backoff.next().toMillis()).isBetween(320L, 400L);
    assertThat(backoff.next().toMillis()).isBetween(320L, 400L);
    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(80L, 100L);
  }
}
