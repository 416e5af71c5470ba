package dev.voicebus.ingest.sip;

import dev.voicebus.schemas.auth.TenantGrant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Each tenant's cap on concurrent calls, as its credentials state it ({@code maxConcurrentCalls} in
 * {@code ingest.tokens-file} and {@code ingest.twilio.accounts-file}; the smallest when they
 * differ). A SIP call carries no credential of its tenant, so its route's tenant gets this cap.
 */
final class TenantCaps {
  private final Map<String, Integer> caps = new HashMap<>();

  TenantCaps(List<TenantGrant> grants) {
    for (TenantGrant grant : grants) {
      grant.maxConcurrentCalls().ifPresent(cap -> caps.merge(grant.tenant(), cap, Math::min));
    }
  }

  OptionalInt of(String tenant) {
    Integer cap = caps.get(tenant);
    return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
  }
}
