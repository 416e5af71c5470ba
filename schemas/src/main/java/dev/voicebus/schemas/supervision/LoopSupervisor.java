package dev.voicebus.schemas.supervision;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a consumer loop alive while the JVM is: runs a loop from {@code factory} on its own thread
 * and, when the loop throws (an exception or an {@link Error}) or returns without being stopped,
 * reports the node as down ({@link #problem()}, for readiness) and starts a fresh loop after a
 * jittered exponential {@link Backoff}. A backoff that ran longer than its maximum starts again
 * from the initial delay. After a failure it stays reported down until the replacement is {@link
 * SupervisedLoop#healthy()}.
 *
 * <p>A {@link VirtualMachineError} other than {@link StackOverflowError} (which unwinds cleanly) is
 * not retried: after an {@link OutOfMemoryError}, {@link InternalError} or {@link UnknownError} any
 * thread may have failed half-way, so the supervisor stays down for good, says so in {@link
 * #problem()}, and rethrows the error (the images also run with {@code
 * -XX:+ExitOnOutOfMemoryError}, so the orchestrator restarts the process).
 */
public final class LoopSupervisor<L extends SupervisedLoop> implements AutoCloseable {

  /** Where the supervised loop is. */
  public enum State {
    RUNNING,
    RESTARTING,
    FAILED,
    STOPPED
  }

  private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

  private final String name;
  private final Supplier<L> factory;
  private final Backoff backoff;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger restarts = new AtomicInteger();
  private final Thread thread;
  private volatile L current;
  private volatile State state = State.RUNNING;
  private volatile String lastFailure;

  /**
   * @param name names the thread and the log lines, e.g. {@code tool-executor-loop}
   * @param factory builds a fresh loop with fresh clients; called on the supervisor's thread for
   *     every restart
   * @param backoff the delays between restarts
   */
  public LoopSupervisor(String name, Supplier<L> factory, Backoff backoff) {
    this.name = name;
    this.factory = factory;
    this.backoff = backoff;
    this.thread = new Thread(this::supervise, name);
  }

  /**
   * Builds the first loop on the calling thread, so that bad settings fail the caller's start-up,
   * then runs it on the supervisor's thread.
   */
  public synchronized LoopSupervisor<L> start() {
    if (thread.isAlive() || state != State.RUNNING || current != null) {
      throw new IllegalStateException(name + " is already started");
    }
    current = factory.get();
    thread.start();
    return this;
  }

  private void supervise() {
    while (closing.getCount() > 0) {
      L loop = current;
      long startedAt = System.nanoTime();
      Throwable failure = null;
      try {
        state = State.RUNNING;
        loop.run();
      } catch (Throwable t) {
        failure = t;
      }
      if (closing.getCount() == 0) {
        break;
      }
      if (isFatal(failure)) {
        lastFailure = describe(failure);
        state = State.FAILED;
        log.error(
            "{} stopped for good after a fatal JVM error; restart the process", name, failure);
        return;
      }
      lastFailure = failure == null ? "the loop stopped on its own" : describe(failure);
      state = State.RESTARTING;
      if (System.nanoTime() - startedAt > backoff.max().toNanos()) {
        backoff.reset();
      }
      Duration delay = backoff.next();
      int attempt = restarts.incrementAndGet();
      log.error(
          "{} died ({}); restart {} in {} ms",
          name,
          lastFailure,
          attempt,
          delay.toMillis(),
          failure);
      if (!waitOrClose(delay) || !replace()) {
        break;
      }
    }
    state = State.STOPPED;
  }

  /** Builds the next loop; false if closing meanwhile. A failing factory counts as a failure. */
  private boolean replace() {
    while (closing.getCount() > 0) {
      try {
        L next = factory.get();
        current = next;
        if (closing.getCount() == 0) {
          next.stop();
          next.run(); // returns at once and releases the clients it built
          return false;
        }
        return true;
      } catch (RuntimeException e) {
        lastFailure = "cannot build a new loop: " + describe(e);
        Duration delay = backoff.next();
        restarts.incrementAndGet();
        log.error("{}: {}; retrying in {} ms", name, lastFailure, delay.toMillis(), e);
        if (!waitOrClose(delay)) {
          return false;
        }
      }
    }
    return false;
  }

  private boolean waitOrClose(Duration delay) {
    try {
      return !closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isFatal(Throwable failure) {
    return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** The loop running now (or the one that last ran, while restarting). */
  public Optional<L> current() {
    return Optional.ofNullable(current);
  }

  public State state() {
    return state;
  }

  /** How many times a loop was replaced (or a replacement could not be built). */
  public int restarts() {
    return restarts.get();
  }

  /** What killed the last loop that died, if one did. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Why the loop is not running, or empty while it is. */
  public Optional<String> problem() {
    return switch (state) {
      case RUNNING -> {
        L loop = current;
        boolean proven = lastFailure == null || (loop != null && loop.healthy());
        yield proven
            ? Optional.empty()
            : Optional.of(name + " is restarting after: " + lastFailure);
      }
      case RESTARTING -> Optional.of(name + " is down and restarting after: " + lastFailure);
      case FAILED ->
          Optional.of(
              name
                  + " stopped for good after a fatal JVM error ("
                  + lastFailure
                  + "); restart the process");
      case STOPPED -> Optional.of(name + " is stopped");
    };
  }

  /** Stops the current loop and any restart, and waits up to {@code timeout} for the thread. */
  public void stop(Duration timeout) {
    closing.countDown();
    L loop = current;
    if (loop != null) {
      loop.stop();
    }
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("{} did not stop within {}", name, timeout);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
