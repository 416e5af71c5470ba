package dev.voicebus.worker.output;

/**
 * Who a record is about: the call, its tenant, its agent profile and the source's own id of the
 * call. Every record the worker publishes carries these, so consumers group by tenant or profile
 * without a join.
 */
public record CallIdentity(
    String callId, String tenantId, String agentProfile, String externalCallId) {

  /** A call the worker knows only by id (a record it could not process). */
  public static CallIdentity unknown(String callId) {
    return new CallIdentity(callId, null, null, null);
  }
}
