package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallStatus;

/**
 * The legal moves of a call's {@link CallStatus}: LIVE to ENDING (one of ingest's CallEnded and the
 * worker's CallSummary arrived), LIVE or ENDING to ENDED (both arrived, the grace period passed, or
 * the call was abandoned), and staying put. ENDED is final: a late record amends the document but
 * never reopens the call. Any other move is a bug and throws.
 */
public final class CallLifecycle {

  private CallLifecycle() {}

  /** The status after moving from {@code from} to {@code to}; throws on an illegal move. */
  public static CallStatus move(CallStatus from, CallStatus to) {
    boolean legal =
        from == to
            || (from == CallStatus.LIVE && (to == CallStatus.ENDING || to == CallStatus.ENDED))
            || (from == CallStatus.ENDING && to == CallStatus.ENDED);
    if (!legal) {
      throw new IllegalStateException("a call cannot move from " + from + " to " + to);
    }
    return to;
  }

  /**
   * The status after one of the two end signals arrived; {@code otherSeen} tells whether the other
   * one had arrived before.
   */
  public static CallStatus endSignal(CallStatus current, boolean otherSeen) {
    if (current == CallStatus.ENDED) {
      return current;
    }
    return move(current, otherSeen ? CallStatus.ENDED : CallStatus.ENDING);
  }

  public static boolean isOver(CallStatus status) {
    return status == CallStatus.ENDED;
  }
}
