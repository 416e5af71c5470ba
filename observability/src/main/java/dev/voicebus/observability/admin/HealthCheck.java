package dev.voicebus.observability.admin;

import java.util.Optional;

/**
 * One health question a service answers on its admin port: empty when all is well, otherwise why
 * not (a short sentence shown in the 503 body, never a secret).
 */
@FunctionalInterface
public interface HealthCheck {

  /** A check that always passes (the process serves, so it is alive). */
  HealthCheck ALWAYS = Optional::empty;

  Optional<String> problem();

  /** This check, then {@code next}: the first problem found, or none. */
  default HealthCheck and(HealthCheck next) {
    return () -> problem().or(next::problem);
  }
}
