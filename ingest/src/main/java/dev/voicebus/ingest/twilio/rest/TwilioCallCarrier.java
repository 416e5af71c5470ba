package dev.voicebus.ingest.twilio.rest;

import dev.voicebus.ingest.call.CallCarrier;
import dev.voicebus.telephony.twilio.Twiml;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Twilio call controlled through the REST API: a transfer updates the live call with {@code
 * <Dial>} TwiML (which ends its Media Stream, as the caller moves on), a hang-up sets {@code
 * Status=completed}. A failed transfer fails with a {@link TransferFailedException} whose message
 * says, in a sentence the agent can speak, why.
 */
public final class TwilioCallCarrier implements CallCarrier {

  private final TwilioRestClient client;
  private final TwilioCredentials credentials;
  private final String callSid;
  private final boolean restHangup;

  public TwilioCallCarrier(
      TwilioRestClient client, TwilioCredentials credentials, String callSid, boolean restHangup) {
    this.client = client;
    this.credentials = credentials;
    this.callSid = callSid;
    this.restHangup = restHangup;
  }

  @Override
  public CompletableFuture<Void> transfer(String target) {
    String twiml;
    try {
      twiml = Twiml.dial(target);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new TransferFailedException(TransferFailures.sentence(target, e), e));
    }
    return client
        .updateCall(credentials, callSid, Map.of("Twiml", twiml))
        .handle(
            (answer, error) -> {
              if (error != null) {
                Throwable cause = TransferFailures.unwrap(error);
                throw new CompletionException(
                    new TransferFailedException(TransferFailures.sentence(target, cause), cause));
              }
              return null;
            });
  }

  /** Completes the call; a call that is already over (Twilio 20404, 21220) counts as done. */
  @Override
  public CompletableFuture<Void> hangUp() {
    return client
        .updateCall(credentials, callSid, Map.of("Status", "completed"))
        .handle(
            (answer, error) -> {
              Throwable cause = error == null ? null : TransferFailures.unwrap(error);
              if (cause == null || TransferFailures.callGone(cause)) {
                return null;
              }
              throw new CompletionException(cause);
            });
  }

  @Override
  public boolean hangsUpOnAgentHangup() {
    return restHangup;
  }

  @Override
  public String toString() {
    return "TwilioCallCarrier[" + credentials.accountSid() + "/" + callSid + "]";
  }
}
