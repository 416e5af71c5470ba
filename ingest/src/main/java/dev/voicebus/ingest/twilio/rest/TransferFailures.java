package dev.voicebus.ingest.twilio.rest;

import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Why a transfer did not go through, said so the agent can tell the caller: an invalid target, a
 * number the phone company refused, a call already gone, credentials Twilio did not accept, or
 * Twilio out of reach. Pure.
 */
public final class TransferFailures {

  /** Twilio error codes of a call that can no longer be redirected. */
  private static final Set<Integer> CALL_GONE = Set.of(20404, 21220);

  private TransferFailures() {}

  /** The sentence for a transfer to {@code target} that failed with {@code cause}. */
  public static String sentence(String target, Throwable cause) {
    return "The transfer to "
        + target
        + " did not go through: "
        + why(cause)
        + ". Tell the caller and offer to help another way.";
  }

  private static String why(Throwable cause) {
    if (cause instanceof IllegalArgumentException) {
      return "it is not a phone number or a SIP address";
    }
    if (!(cause instanceof TwilioApiException api) || !api.answered()) {
      return "the phone company could not be reached";
    }
    if (callGone(api)) {
      return "the call can no longer be moved";
    }
    if (api.status() == 401 || api.status() == 403) {
      return "the phone company did not accept this service's credentials";
    }
    if (api.status() == 429 || api.status() >= 500) {
      return "the phone company is not taking requests right now";
    }
    return "the phone company refused it";
  }

  /** Whether Twilio said the call is no longer in progress (not found, or over). */
  static boolean callGone(Throwable cause) {
    return cause instanceof TwilioApiException api
        && (api.status() == 404 || CALL_GONE.contains(api.code()));
  }

  /** The exception inside a future's completion wrapper. */
  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
