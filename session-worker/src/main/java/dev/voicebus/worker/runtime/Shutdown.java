package dev.voicebus.worker.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes a service's components in reverse order of creation. Every step runs even when an earlier
 * one fails; the first failure is thrown at the end with the later ones attached as suppressed.
 */
public final class Shutdown {

  /** One step of a shutdown. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private final Deque<Step> steps = new ArrayDeque<>();

  /** Registers {@code component} (just created) to be closed before everything created earlier. */
  public <T extends AutoCloseable> T register(T component) {
    steps.push(component::close);
    return component;
  }

  /** Registers a step to run before everything registered earlier. */
  public void onClose(Step step) {
    steps.push(step);
  }

  /** Runs every step, last registered first. */
  public void run() {
    RuntimeException first = null;
    while (!steps.isEmpty()) {
      try {
        steps.pop().run();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (first == null) {
          first =
              e instanceof RuntimeException r
                  ? r
                  : new IllegalStateException("Shutdown step failed: " + e, e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
