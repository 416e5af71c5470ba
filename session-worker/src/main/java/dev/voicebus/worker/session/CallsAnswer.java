package dev.voicebus.worker.session;

/**
 * What OpenAI's calls API answered to an accept, refer or hang-up of a SIP call, as far as the
 * call's decisions need to tell: the runtime turns the HTTP outcome into one of these, so the
 * coordinator never reads error text.
 */
public sealed interface CallsAnswer {

  /** 2xx: done. */
  record Done() implements CallsAnswer {}

  /** The call was accepted before (by a previous owner of the call): attach to it. */
  record AlreadyAccepted() implements CallsAnswer {}

  /** 404: the call is unknown or over (OpenAI forgets ended calls). */
  record CallGone(String detail) implements CallsAnswer {}

  /** Anything else; {@code retriable} when the same request may succeed later (429, 5xx, none). */
  record Failed(String detail, boolean retriable) implements CallsAnswer {}
}
