package dev.voicebus.realtime.sandbox.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The faults armed for one session: timers for close-after and the session cap (on the session's
 * event loop, no threads), a server event counter, and the response delay and rate-limit rules.
 * Re-armed when a scenario with its own faults is selected. Confined to the session's event loop.
 */
public final class FaultPlan {
  /** OpenAI's message when a session reaches its maximum duration. */
  public static final String SESSION_CAP_REASON =
      "Your session hit the maximum duration of 60 minutes.";

  private static final int GOING_AWAY = 1001;

  private final ScheduledExecutorService executor;
  private final SessionCloser closer;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>(2);
  private FaultConfig config;
  private long serverEvents;
  private int responses;
  private boolean fired;

  public FaultPlan(FaultConfig config, ScheduledExecutorService executor, SessionCloser closer) {
    this.executor = executor;
    this.closer = closer;
    arm(config, Duration.ZERO);
  }

  /** Replaces the faults; timers count from session start ({@code elapsed} ago). */
  public void arm(FaultConfig newConfig, Duration elapsed) {
    disarm();
    config = newConfig;
    if (config.closeAfter() != null) {
      schedule(config.closeAfter().minus(elapsed), this::closeByFault);
    }
    if (config.sessionCap() != null) {
      schedule(
          config.sessionCap().minus(elapsed),
          () -> fire(() -> closer.close(GOING_AWAY, SESSION_CAP_REASON)));
    }
  }

  public FaultConfig config() {
    return config;
  }

  /** Counts one server event sent; may close the session if the event budget is used up. */
  public void afterServerEvent() {
    serverEvents++;
    if (config.closeAfterEvents() > 0 && serverEvents >= config.closeAfterEvents()) {
      closeByFault();
    }
  }

  /** Counts a new response and says whether it must fail with {@code rate_limit_exceeded}. */
  public boolean nextResponseRateLimited() {
    responses++;
    return config.rateLimitEvery() > 0 && responses % config.rateLimitEvery() == 0;
  }

  public Duration responseDelay() {
    return config.responseDelay();
  }

  /** Cancels pending timers (the session ended). */
  public void disarm() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  private void schedule(Duration delay, Runnable task) {
    long ms = Math.max(0, delay.toMillis());
    timers.add(executor.schedule(task, ms, TimeUnit.MILLISECONDS));
  }

  private void closeByFault() {
    fire(
        () -> {
          if (config.closeMode() == CloseMode.DROP) {
            closer.drop();
          } else {
            closer.close(config.closeCode(), "Injected fault");
          }
        });
  }

  private void fire(Runnable action) {
    if (!fired) {
      fired = true;
      disarm();
      action.run();
    }
  }
}
