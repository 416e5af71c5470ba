package dev.voicebus.launcher;

import dev.voicebus.launcher.local.LocalOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that runs the local stack shares. */
final class StackOptions {

  @Option(
      names = "--openai-key",
      defaultValue = "${env:OPENAI_API_KEY}",
      description =
          "OpenAI API key; without one the local Realtime sandbox stands in (default: $OPENAI_API_KEY).")
  String openAiKey;

  @Option(
      names = "--realtime-url",
      paramLabel = "URL",
      description =
          "Realtime endpoint instead of the sandbox or OpenAI, e.g. an Azure OpenAI resource"
              + " (https://RESOURCE.openai.azure.com/openai/v1 with --set worker.realtime-auth=api-key);"
              + " same as --set worker.realtime-url=URL. Needs a key.")
  String realtimeUrl;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any Voicebus setting, e.g. --set ingest.chunk-ms=40.")
  Map<String, String> settings = new LinkedHashMap<>();

  LocalOptions toLocal(int ingestPort, int adminPort) {
    return toLocal(ingestPort, adminPort, Map.of());
  }

  /** With {@code defaults} (a command's own settings) under what the user set. */
  LocalOptions toLocal(int ingestPort, int adminPort, Map<String, String> defaults) {
    Map<String, String> all = new LinkedHashMap<>(defaults);
    all.putAll(settings);
    if (realtimeUrl != null && !realtimeUrl.isBlank()) {
      all.put("worker.realtime-url", realtimeUrl);
    }
    return new LocalOptions(
        Optional.ofNullable(openAiKey).filter(k -> !k.isBlank()), ingestPort, adminPort, all);
  }
}
