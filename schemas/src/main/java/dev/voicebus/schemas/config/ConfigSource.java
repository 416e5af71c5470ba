package dev.voicebus.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where every Voicebus service reads its settings: a key such as {@code ingest.port} is looked up
 * as a system property, then as the environment variable {@code VOICEBUS_INGEST_PORT} (dots and
 * dashes become underscores, upper case), then in an optional properties file. Any key can instead
 * be given as a file holding the value, {@code <key>.file} ({@code
 * VOICEBUS_INGEST_API_TOKEN_FILE}), so that secrets never appear in a process listing or an
 * environment dump. Typed getters fail with a message that names the key, the bad value and what
 * would be valid; a value read from a file is never part of a message.
 */
public final class ConfigSource {

  /** Appended to a key to give its value as a file: {@code ingest.api-token.file}. */
  public static final String FILE_SUFFIX = ".file";

  /** Larger files are refused: a secret or a client setting is never this big. */
  private static final int MAX_FILE_BYTES = 1024 * 1024;

  private final Map<String, String> overrides;
  private final Map<String, String> environment;
  private final Map<String, String> file;

  private ConfigSource(
      Map<String, String> overrides, Map<String, String> environment, Map<String, String> file) {
    this.overrides = Map.copyOf(overrides);
    this.environment = Map.copyOf(environment);
    this.file = Map.copyOf(file);
  }

  /** Settings from system properties, the environment and, if given, a properties file. */
  public static ConfigSource load(Optional<Path> propertiesFile) {
    Map<String, String> systemProperties = new HashMap<>();
    System.getProperties()
        .stringPropertyNames()
        .forEach(k -> systemProperties.put(k, System.getProperty(k)));
    return new ConfigSource(
        systemProperties,
        System.getenv(),
        propertiesFile.map(ConfigSource::readProperties).orElse(Map.of()));
  }

  /** Settings from a map, for tests and for services embedded in one process (dev mode). */
  public static ConfigSource of(Map<String, String> values) {
    return new ConfigSource(Map.of(), Map.of(), values);
  }

  /** Settings from a map and environment variables (for tests of the environment mapping). */
  public static ConfigSource of(Map<String, String> values, Map<String, String> environment) {
    return new ConfigSource(Map.of(), environment, values);
  }

  /** This source with {@code newOverrides} taking precedence over everything else. */
  public ConfigSource with(Map<String, String> newOverrides) {
    Map<String, String> merged = new HashMap<>(overrides);
    merged.putAll(newOverrides);
    return new ConfigSource(merged, environment, file);
  }

  /**
   * The value of {@code key}: system property or override, else environment variable, else
   * properties file; or, when none of them sets it, the trimmed content of the file named by {@code
   * <key>.file}. Setting both the key and its file variant is an error, and so is a file that
   * cannot be read or is empty (the message names the key and the path, never the content).
   */
  public Optional<String> get(String key) {
    Optional<String> direct = raw(key);
    Optional<String> fileKey =
        key.endsWith(FILE_SUFFIX) ? Optional.empty() : raw(key + FILE_SUFFIX);
    if (fileKey.isEmpty()) {
      return direct;
    }
    if (direct.isPresent()) {
      throw new IllegalArgumentException(
          "set "
              + key
              + " or "
              + key
              + FILE_SUFFIX
              + " ("
              + envName(key + FILE_SUFFIX)
              + "), not both");
    }
    return Optional.of(readValueFile(key + FILE_SUFFIX, fileKey.get()));
  }

  private Optional<String> raw(String key) {
    String found = overrides.get(key);
    if (found == null) {
      found = environment.get(envName(key));
    }
    if (found == null) {
      found = file.get(key);
    }
    return Optional.ofNullable(found).map(String::trim).filter(v -> !v.isEmpty());
  }

  /**
   * The trimmed content of a file that holds one setting (usually a secret), for {@code key}. Fails
   * naming {@code key} and the path, never the content, if the file cannot be read, is larger than
   * 1 MiB or is empty.
   */
  public static String readValueFile(String key, String path) {
    try {
      return readValueFile(key, Path.of(path));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(key + "='" + path + "' is invalid: not a file path");
    }
  }

  /** As {@link #readValueFile(String, String)}. */
  public static String readValueFile(String key, Path path) {
    try {
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            key + "='" + path + "' is invalid: the file is larger than 1 MiB");
      }
      String value = Files.readString(path).trim();
      if (value.isEmpty()) {
        throw new IllegalArgumentException(key + "='" + path + "' is invalid: the file is empty");
      }
      return value;
    } catch (IOException e) {
      // The exception's class, not its message: a decoding error could quote the content.
      throw new IllegalArgumentException(
          key
              + "='"
              + path
              + "' is invalid: cannot read the file ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  public String string(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  public String requireString(String key) {
    return get(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    key
                        + " is required (or set "
                        + envName(key)
                        + ", or "
                        + envName(key + FILE_SUFFIX)
                        + " to a file holding it)"));
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw invalid(key, raw.get(), "a whole number from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, raw.get(), "a whole number from " + min + " to " + max);
    }
  }

  /**
   * A decimal number such as {@code 1}, {@code 1.5} or {@code 20}, from {@code min} to {@code max}.
   */
  public double decimal(String key, double defaultValue, double min, double max) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String valid = "a number from " + plain(min) + " to " + plain(max);
    try {
      double value = Double.parseDouble(raw.get());
      if (!(value >= min && value <= max)) {
        throw invalid(key, raw.get(), valid);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, raw.get(), valid);
    }
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw invalid(key, raw.get(), "true or false");
    };
  }

  /**
   * A duration written as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code
   * PT5S}).
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> raw = get(key);
    return raw.isEmpty() ? defaultValue : parseDuration(key, raw.get());
  }

  public URI uri(String key, URI defaultValue) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      URI uri = new URI(raw.get());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw invalid(key, raw.get(), "an absolute URI such as wss://api.openai.com/v1");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(key, raw.get(), "an absolute URI such as wss://api.openai.com/v1");
    }
  }

  /**
   * Every setting under {@code prefix}, with the prefix removed (for pass-through client settings).
   * A setting given as a file ({@code kafka.sasl.jaas.config.file}, {@code
   * VOICEBUS_KAFKA_SASL_JAAS_CONFIG_FILE}) appears under its own name with the file's content.
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    file.forEach((key, value) -> putUnderPrefix(result, prefix, key, value));
    environment.forEach(
        (name, value) ->
            fromEnvName(name).ifPresent(key -> putUnderPrefix(result, prefix, key, value)));
    overrides.forEach((key, value) -> putUnderPrefix(result, prefix, key, value));
    Map<String, String> resolved = new TreeMap<>();
    result.forEach(
        (key, value) -> {
          if (key.endsWith(FILE_SUFFIX)) {
            String name = key.substring(0, key.length() - FILE_SUFFIX.length());
            resolved.put(name, get(prefix + name).orElseThrow());
          } else if (!resolved.containsKey(key)) {
            resolved.put(key, value);
          }
        });
    return resolved;
  }

  private static void putUnderPrefix(
      Map<String, String> result, String prefix, String key, String value) {
    if (key.startsWith(prefix) && key.length() > prefix.length()) {
      result.put(key.substring(prefix.length()), value);
    }
  }

  /** The environment variable that sets {@code key}. */
  public static String envName(String key) {
    return "VOICEBUS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Parses a duration written as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601;
   * fails naming {@code key} and the value.
   */
  public static Duration parseDuration(String key, String raw) {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("p")) {
        return Duration.parse(raw.trim().toUpperCase(Locale.ROOT));
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw invalid(key, raw, "a duration such as 250ms, 5s, 2m, 1h or PT5S");
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw invalid(key, raw, "a duration such as 250ms, 5s, 2m, 1h or PT5S");
    }
  }

  /** For pass-through prefixes only: VOICEBUS_KAFKA_SASL_MECHANISM is kafka.sasl.mechanism. */
  private static Optional<String> fromEnvName(String name) {
    if (!name.startsWith("VOICEBUS_") || name.length() == "VOICEBUS_".length()) {
      return Optional.empty();
    }
    return Optional.of(
        name.substring("VOICEBUS_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  private static Map<String, String> readProperties(Path file) {
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read settings file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  private static IllegalArgumentException invalid(String key, String value, String valid) {
    return new IllegalArgumentException(key + "='" + value + "' is invalid: use " + valid);
  }

  @Override
  public String toString() {
    return "ConfigSource[" + file.size() + " file settings, " + overrides.size() + " overrides]";
  }
}
