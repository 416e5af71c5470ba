package dev.voicebus.recorder.call;

/** Why a recording was finalised. */
public enum FinishReason {
  /** The call's {@code CallEnded} arrived. */
  CALL_ENDED,
  /** Nothing arrived for the call for {@code recorder.idle-timeout}: its end never came. */
  IDLE_TIMEOUT,
  /** The recording reached {@code recorder.max-call-duration}. */
  MAX_DURATION
}
