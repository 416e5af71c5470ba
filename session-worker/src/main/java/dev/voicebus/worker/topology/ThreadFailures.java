package dev.voicebus.worker.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies of something no record handler caught (records that fail
 * are dead-lettered by the handlers and never get here). A dead thread is replaced, but not in a
 * loop: after {@value #MAX_FAILURES} deaths within {@link #WINDOW} the worker shuts its Streams
 * client down, so its health check fails and the orchestrator restarts the process with backoff,
 * and its calls move to the other workers.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {

  static final int MAX_FAILURES = 3;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ThreadFailures.class);

  private final Deque<Instant> recent = new ArrayDeque<>();
  private final Counter replaced;
  private final Clock clock;

  public ThreadFailures(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  ThreadFailures(MeterRegistry registry, Clock clock) {
    this.replaced = registry.counter("voicebus.worker.stream.thread.failures");
    this.clock = clock;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
    replaced.increment();
    Instant now = clock.instant();
    recent.addLast(now);
    while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(WINDOW))) {
      recent.pollFirst();
    }
    if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)
        || recent.size() > MAX_FAILURES) {
      log.error(
          "Stream thread failed ({} failures in {}); shutting this worker's Streams down so the"
              + " process is restarted and its calls move to other workers",
          recent.size(),
          WINDOW,
          failure);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    log.error("Stream thread failed; replacing it", failure);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
