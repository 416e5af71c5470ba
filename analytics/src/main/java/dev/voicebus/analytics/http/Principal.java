package dev.voicebus.analytics.http;

/** Who is asking: one tenant's token, or the admin token that sees every tenant. */
sealed interface Principal {

  /** Whether this principal may see {@code tenant}'s calls and usage. */
  boolean sees(String tenant);

  record Tenant(String tenant) implements Principal {
    @Override
    public boolean sees(String other) {
      return tenant.equals(other);
    }
  }

  record Admin() implements Principal {
    @Override
    public boolean sees(String tenant) {
      return true;
    }
  }
}
