package dev.voicebus.schemas.supervision;

/**
 * A consumer loop that a {@link LoopSupervisor} runs and, if it dies, replaces with a fresh one.
 * {@link #run()} returns only after {@link #stop()} (any other return or throw is a failure); it
 * owns its Kafka clients and closes them when it returns, so a replacement starts from clean
 * clients. {@code run()} called after {@code stop()} returns at once, closing them.
 */
public interface SupervisedLoop extends Runnable {

  /** Asks {@link #run()} to finish soon; may be called from any thread, more than once. */
  void stop();

  /**
   * Whether this loop has shown that it works (for example, a poll returned). A replacement loop
   * counts as down until it has, so readiness does not flap while loops keep dying. Thread-safe.
   */
  default boolean healthy() {
    return true;
  }
}
