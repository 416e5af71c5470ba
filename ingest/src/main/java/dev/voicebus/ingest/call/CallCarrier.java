package dev.voicebus.ingest.call;

import java.util.concurrent.CompletableFuture;

/**
 * The phone network's side of a live call, controlled out of band (Twilio's REST API): hand the
 * caller to another number or SIP address, or end the call. Futures complete on any thread; a
 * failed transfer fails with an exception whose message is a sentence the agent can say.
 */
public interface CallCarrier {

  /** Moves the caller to {@code target} (E.164 number or sip:/sips: URI). */
  CompletableFuture<Void> transfer(String target);

  /** Ends the call at the carrier. */
  CompletableFuture<Void> hangUp();

  /** Whether an agent's hang-up should also end the call through {@link #hangUp()}. */
  boolean hangsUpOnAgentHangup();
}
