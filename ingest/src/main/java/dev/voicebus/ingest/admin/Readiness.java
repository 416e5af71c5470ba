package dev.voicebus.ingest.admin;

import java.util.Optional;

/** Why the node is not ready for new calls right now (empty when it is). */
@FunctionalInterface
public interface Readiness {
  Optional<String> problem();
}
