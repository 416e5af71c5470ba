package dev.voicebus.realtime.sandbox.sip;

/** How a simulated SIP call ended. */
public enum SipEndReason {
  /** {@code /reject} while ringing. */
  REJECTED,
  /** Nobody accepted or rejected it within the ring timeout. */
  UNANSWERED,
  /** {@code /hangup}. */
  HUNG_UP,
  /** {@code /refer}: the caller was sent elsewhere. */
  TRANSFERRED,
  /** The simulated caller hung up (end of its script, or it gave up waiting). */
  CALLER_HUNG_UP
}
