package dev.voicebus.realtime.sandbox.sip;

import java.time.Instant;
import java.util.List;

/**
 * What a test (or {@code GET /sandbox/sip/calls/{id}}) can see of a simulated call: its parties,
 * state and how it ended, what the calls API did to it, and every webhook delivery attempt.
 *
 * @param callId OpenAI-style call id ({@code rtc_...})
 * @param webhookId the {@code webhook-id} of its {@code realtime.call.incoming} deliveries
 * @param scenario the caller's script, once known (at accept)
 * @param sessionId the Realtime session created when it was accepted, or null
 * @param rejectStatus the SIP status it was rejected with, or null
 * @param referredTo the {@code target_uri} of its REFER, or null
 * @param hungUp whether {@code /hangup} ended it
 * @param endReason why it ended, or null while it lasts
 * @param sidebands sideband sockets attached so far
 * @param deliveries HTTP status of each webhook delivery attempt in order (0: no answer)
 */
public record SipCallView(
    String callId,
    String webhookId,
    String from,
    String to,
    String scenario,
    SipCallState state,
    String sessionId,
    Integer rejectStatus,
    String referredTo,
    boolean hungUp,
    SipEndReason endReason,
    String endDetail,
    int sidebands,
    List<Integer> deliveries,
    Instant createdAt,
    Instant acceptedAt,
    Instant endedAt) {

  public SipCallView {
    deliveries = List.copyOf(deliveries);
  }
}
