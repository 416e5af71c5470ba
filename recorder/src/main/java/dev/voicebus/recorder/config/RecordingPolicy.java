package dev.voicebus.recorder.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which calls are recorded, by agent profile: {@code recorder.profiles} lists {@code PROFILE=on} or
 * {@code PROFILE=off} entries (commas or new lines between them, {@code #} starts a comment line,
 * so {@code recorder.profiles.file} can name a file of them), and {@code recorder.default} decides
 * for profiles not listed.
 */
public record RecordingPolicy(boolean recordByDefault, Map<String, Boolean> profiles) {

  public RecordingPolicy {
    profiles = Map.copyOf(profiles);
  }

  public boolean records(String agentProfile) {
    return profiles.getOrDefault(agentProfile, recordByDefault);
  }

  /**
   * Parses {@code recorder.profiles}.
   *
   * @throws IllegalArgumentException naming the key and the bad entry
   */
  public static Map<String, Boolean> parse(String key, String text) {
    Map<String, Boolean> profiles = new LinkedHashMap<>();
    for (String line : text.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        String trimmed = entry.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        String profile = eq < 0 ? "" : trimmed.substring(0, eq).strip();
        String value = eq < 0 ? "" : trimmed.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
        Boolean on =
            switch (value) {
              case "on", "true", "yes" -> Boolean.TRUE;
              case "off", "false", "no" -> Boolean.FALSE;
              default -> null;
            };
        if (profile.isEmpty() || on == null) {
          throw new IllegalArgumentException(
              key
                  + " entry '"
                  + trimmed
                  + "' is invalid: use PROFILE=on or PROFILE=off, e.g. support=on, sales=off");
        }
        if (profiles.put(profile, on) != null) {
          throw new IllegalArgumentException(
              key + " names profile '" + profile + "' twice: list each profile once");
        }
      }
    }
    return profiles;
  }
}
