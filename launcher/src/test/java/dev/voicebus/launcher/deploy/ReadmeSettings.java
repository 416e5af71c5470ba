package dev.voicebus.launcher.deploy;

import dev.voicebus.schemas.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings documented in the READMEs' configuration tables: the backquoted keys in the first
 * cell of each table row, with shorthand such as {@code `worker.reconnect.initial`, `.max`}
 * expanded, as the environment variable names that set them.
 */
final class ReadmeSettings {

  private static final List<String> READMES =
      List.of(
          "README.md",
          "ingest/README.md",
          "tool-executor/README.md",
          "recorder/README.md",
          "event-webhooks/README.md");
  private static final Pattern KEY = Pattern.compile("`([a-z.][a-z0-9.-]*)`");

  private ReadmeSettings() {}

  static Set<String> envNames(Path root) throws IOException {
    Set<String> names = new HashSet<>();
    for (String readme : READMES) {
      for (String line : Files.readAllLines(root.resolve(readme))) {
        if (line.startsWith("| `")) {
          keys(line.split("\\|")[1]).forEach(k -> names.add(ConfigSource.envName(k)));
        }
      }
    }
    return names;
  }

  private static List<String> keys(String cell) {
    List<String> keys = new ArrayList<>();
    Matcher m = KEY.matcher(cell);
    String first = null;
    while (m.find()) {
      String key = m.group(1);
      if (key.startsWith(".") && first != null) {
        keys.add(first.substring(0, first.lastIndexOf('.')) + key);
      } else if (key.contains(".") && !key.startsWith(".")) {
        first = key;
        keys.add(key);
      }
    }
    return keys;
  }
}
