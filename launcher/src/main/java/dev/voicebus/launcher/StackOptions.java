package dev.voicebus.launcher;

import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.schemas.config.ConfigSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command that runs the local stack shares. */
final class StackOptions {

  @Option(
      names = "--openai-key",
      defaultValue = "${env:OPENAI_API_KEY}",
      description =
          "OpenAI API key; without one the local Realtime sandbox stands in (default: $OPENAI_API_KEY)."
              + " A key given here shows in the process listing: prefer --openai-key-file.")
  String openAiKey;

  @Option(
      names = "--openai-key-file",
      paramLabel = "FILE",
      description =
          "File holding the OpenAI API key (surrounding whitespace trimmed), so that the key never"
              + " appears in a process listing.")
  Path openAiKeyFile;

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

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

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
    return new LocalOptions(openAiKey(), ingestPort, adminPort, all);
  }

  /** The key from --openai-key-file, else --openai-key (or $OPENAI_API_KEY); never both given. */
  Optional<String> openAiKey() {
    if (openAiKeyFile == null) {
      return Optional.ofNullable(openAiKey).filter(k -> !k.isBlank());
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--openai-key")) {
      throw new ParameterException(
          spec.commandLine(), "give --openai-key or --openai-key-file, not both");
    }
    try {
      return Optional.of(ConfigSource.readValueFile("--openai-key-file", openAiKeyFile));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
