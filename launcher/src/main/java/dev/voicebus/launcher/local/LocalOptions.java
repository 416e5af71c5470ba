package dev.voicebus.launcher.local;

import dev.voicebus.observability.trace.Tracing;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a user chooses for the local stack: the OpenAI key (none means the sandbox), the ingest
 * ports, any further Voicebus settings ({@code key=value}) passed through to the services, and each
 * service's tracing by service name (by default as the {@code OTEL_*} variables say: off unless an
 * exporter is configured).
 */
public record LocalOptions(
    Optional<String> openAiKey,
    int ingestPort,
    int adminPort,
    Map<String, String> extraSettings,
    Function<String, Tracing> tracing) {

  public LocalOptions {
    extraSettings = Map.copyOf(extraSettings);
  }

  public LocalOptions(
      Optional<String> openAiKey,
      int ingestPort,
      int adminPort,
      Map<String, String> extraSettings) {
    this(openAiKey, ingestPort, adminPort, extraSettings, Tracing::fromEnvironment);
  }

  /** These options with each service traced by {@code tracing} (given the service's name). */
  public LocalOptions withTracing(Function<String, Tracing> tracing) {
    return new LocalOptions(openAiKey, ingestPort, adminPort, extraSettings, tracing);
  }
}
