package dev.voicebus.realtime.sandbox.sip;

/**
 * Where a simulated SIP call is: ringing until accepted, rejected or unanswered; accepted until it
 * is hung up, transferred with a REFER, or the caller hangs up; then ended for good.
 */
public enum SipCallState {
  RINGING,
  ACCEPTED,
  ENDED;

  /** The state after {@code next}; throws if the move is not one of the above. */
  SipCallState to(SipCallState next) {
    boolean legal =
        (this == RINGING && (next == ACCEPTED || next == ENDED))
            || (this == ACCEPTED && next == ENDED);
    if (!legal) {
      throw new IllegalStateException("a SIP call cannot go from " + this + " to " + next);
    }
    return next;
  }
}
