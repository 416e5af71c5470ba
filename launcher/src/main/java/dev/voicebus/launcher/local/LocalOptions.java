package dev.voicebus.launcher.local;

import java.util.Map;
import java.util.Optional;

/**
 * What a user chooses for the local stack: the OpenAI key (none means the sandbox), the ingest
 * ports, and any further Voicebus settings ({@code key=value}) passed through to the services.
 */
public record LocalOptions(
    Optional<String> openAiKey, int ingestPort, int adminPort, Map<String, String> extraSettings) {

  public LocalOptions {
    extraSettings = Map.copyOf(extraSettings);
  }
}
