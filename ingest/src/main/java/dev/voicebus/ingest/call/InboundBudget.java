package dev.voicebus.ingest.call;

import java.time.Duration;

/**
 * Decides when one call's connection must stop reading, so that no call sends audio faster than its
 * allowed rate nor holds more than its share of the node's publish queue. The rate is a token
 * bucket in audio time: it refills at {@code rate} times real time up to {@code burst}, each byte
 * of audio spends its duration, and reading pauses while the bucket is in debt. The share is a
 * high-water mark on records awaiting Kafka: reading pauses above it and resumes below a quarter of
 * it. Pure: the clock and the backlog are passed in, so it is tested without timing.
 */
public final class InboundBudget {

  /** Why and for how long to stop reading; {@link #NONE} to go on. */
  public record Pause(long nanos, Cause cause) {

    /** What the call is over. */
    public enum Cause {
      NONE,
      RATE,
      BACKLOG
    }

    public static final Pause NONE = new Pause(0, Cause.NONE);

    public boolean needed() {
      return nanos > 0;
    }
  }

  /** How often a call held back by its backlog looks again. */
  static final long BACKLOG_RECHECK_NANOS = Duration.ofMillis(10).toNanos();

  private final double rate;
  private final double burstNanos;
  private final int maxPending;
  private double creditNanos;
  private long lastNanos;
  private boolean backlogged;

  /**
   * A budget that starts full at {@code nowNanos}: {@code rate} times real time, {@code burst} of
   * audio ahead at most, {@code maxPending} records awaiting Kafka at most.
   */
  public InboundBudget(double rate, Duration burst, int maxPending, long nowNanos) {
    this.rate = rate;
    this.burstNanos = burst.toNanos();
    this.maxPending = maxPending;
    this.creditNanos = burstNanos;
    this.lastNanos = nowNanos;
  }

  /** The call sent {@code audioNanos} of audio at {@code nowNanos}. */
  public void spend(long audioNanos, long nowNanos) {
    refill(nowNanos);
    creditNanos -= audioNanos;
  }

  /**
   * Whether, and for how long, reading must pause at {@code nowNanos} with {@code pending} records
   * of this call awaiting Kafka.
   */
  public Pause pause(int pending, long nowNanos) {
    refill(nowNanos);
    if (pending > maxPending) {
      backlogged = true;
    } else if (pending < maxPending / 4) {
      backlogged = false;
    }
    if (creditNanos < 0) {
      long wait = (long) Math.ceil(-creditNanos / rate);
      return new Pause(Math.max(1, wait), Pause.Cause.RATE);
    }
    return backlogged ? new Pause(BACKLOG_RECHECK_NANOS, Pause.Cause.BACKLOG) : Pause.NONE;
  }

  private void refill(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    creditNanos = Math.min(burstNanos, creditNanos + elapsed * rate);
    lastNanos = nowNanos;
  }
}
