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
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any Voicebus setting, e.g. --set ingest.chunk-ms=40.")
  Map<String, String> settings = new LinkedHashMap<>();

  LocalOptions toLocal(int ingestPort, int adminPort) {
    return new LocalOptions(
        Optional.ofNullable(openAiKey).filter(k -> !k.isBlank()), ingestPort, adminPort, settings);
  }
}
