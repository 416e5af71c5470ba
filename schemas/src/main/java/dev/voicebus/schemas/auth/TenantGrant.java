package dev.voicebus.schemas.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a credential entitles its holder to: calls for one tenant, with the agent profiles it lists
 * (in that order, {@value #ANY_PROFILE} for any), and at most {@code maxConcurrentCalls} of the
 * tenant's calls at once when given. Services take the tenant from here, never from what a client
 * writes.
 */
public record TenantGrant(String tenant, List<String> profiles, OptionalInt maxConcurrentCalls) {

  /** In {@code profiles}: any agent profile. */
  public static final String ANY_PROFILE = "*";

  public TenantGrant {
    if (tenant == null || tenant.isBlank()) {
      throw new IllegalArgumentException("a grant needs a tenant");
    }
    if (profiles == null || profiles.isEmpty()) {
      throw new IllegalArgumentException(
          "the grant of tenant " + tenant + " lists no profiles (use \"*\" for any)");
    }
    profiles = List.copyOf(new LinkedHashSet<>(profiles));
    if (maxConcurrentCalls.isPresent() && maxConcurrentCalls.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls of tenant " + tenant + " must be at least 1");
    }
  }

  /** Every profile, no call cap of its own: the one-tenant shortcut of a single shared secret. */
  public static TenantGrant anyProfile(String tenant) {
    return new TenantGrant(tenant, List.of(ANY_PROFILE), OptionalInt.empty());
  }

  public boolean allowsAnyProfile() {
    return profiles.contains(ANY_PROFILE);
  }

  public boolean allowsProfile(String profile) {
    return allowsAnyProfile() || profiles.contains(profile);
  }

  /**
   * The profile of a call whose client named {@code requested} (or none): the requested one if
   * allowed; when none is named, {@code fallback} if allowed, else the first listed profile. Empty
   * when the requested profile is not allowed.
   */
  public Optional<String> profileFor(Optional<String> requested, String fallback) {
    if (requested.isPresent()) {
      return requested.filter(this::allowsProfile);
    }
    if (allowsProfile(fallback)) {
      return Optional.of(fallback);
    }
    return Optional.of(profiles.get(0));
  }
}
