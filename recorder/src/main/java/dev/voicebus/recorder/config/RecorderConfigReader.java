package dev.voicebus.recorder.config;

import dev.voicebus.recorder.config.RecorderConfig.Limits;
import dev.voicebus.recorder.config.RecorderConfig.StartAt;
import dev.voicebus.recorder.config.RecorderConfig.Storage;
import dev.voicebus.recorder.storage.S3Settings;
import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@link RecorderConfig} from a {@link ConfigSource}. Every value is checked here; a bad one
 * fails start-up with a message naming the key, the value and what is allowed (secrets are named,
 * never shown). Keys are listed in recorder/README.md.
 */
public final class RecorderConfigReader {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{2,40}");

  private RecorderConfigReader() {}

  public static RecorderConfig read(ConfigSource source) {
    String instanceId =
        source.string("recorder.instance-id", System.getenv().getOrDefault("HOSTNAME", "recorder"));
    Limits limits =
        new Limits(
            positive(
                source, "recorder.max-call-duration", Duration.ofHours(2), Duration.ofHours(24)),
            positive(source, "recorder.idle-timeout", Duration.ofSeconds(60), Duration.ofHours(1)),
            positive(source, "recorder.pause-hold", Duration.ofSeconds(5), Duration.ofMinutes(1)));
    Duration initialBackoff =
        positive(
            source,
            "recorder.upload.initial-backoff",
            Duration.ofSeconds(1),
            Duration.ofMinutes(10));
    Duration maxBackoff =
        positive(source, "recorder.upload.max-backoff", Duration.ofMinutes(1), Duration.ofHours(1));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "recorder.upload.max-backoff='"
              + source.get("recorder.upload.max-backoff").orElse("1m")
              + "' is invalid: use at least recorder.upload.initial-backoff ("
              + initialBackoff
              + ")");
    }
    return new RecorderConfig(
        source.string("recorder.group-id", "voicebus-recorder"),
        instanceId,
        source.string("recorder.admin-host", "0.0.0.0"),
        source.integer("recorder.admin-port", 8084, 0, 65_535),
        policy(source),
        storage(source),
        retention(source),
        positive(
            source, "recorder.retention.sweep-interval", Duration.ofHours(1), Duration.ofDays(7)),
        workDir(source, instanceId),
        limits,
        source.integer("recorder.threads", 2, 1, 64),
        initialBackoff,
        maxBackoff,
        startAt(source));
  }

  private static RecordingPolicy policy(ConfigSource source) {
    boolean byDefault = onOff(source, "recorder.default", true);
    Map<String, Boolean> profiles =
        source
            .get("recorder.profiles")
            .map(text -> RecordingPolicy.parse("recorder.profiles", text))
            .orElse(Map.of());
    return new RecordingPolicy(byDefault, profiles);
  }

  private static boolean onOff(ConfigSource source, String key, boolean defaultValue) {
    Optional<String> raw = source.get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default ->
          throw new IllegalArgumentException(
              key + "='" + raw.get() + "' is invalid: use on or off (true or false)");
    };
  }

  private static Storage storage(ConfigSource source) {
    String kind = source.string("recorder.storage", "local").toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "local" -> new Storage.Local(path(source, "recorder.local.dir", "recordings"));
      case "s3" -> new Storage.S3(s3(source));
      default ->
          throw new IllegalArgumentException(
              "recorder.storage='" + kind + "' is invalid: use local or s3");
    };
  }

  private static S3Settings s3(ConfigSource source) {
    String bucket = source.requireString("recorder.s3.bucket");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "recorder.s3.bucket='"
              + bucket
              + "' is invalid: use an S3 bucket name (3-63 lower-case letters, digits, dots and"
              + " dashes)");
    }
    String prefix = source.string("recorder.s3.prefix", "");
    if (prefix.startsWith("/") || prefix.contains("//") || prefix.contains("..")) {
      throw new IllegalArgumentException(
          "recorder.s3.prefix='"
              + prefix
              + "' is invalid: use a key prefix such as recordings/ (no leading /, no .., no //)");
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    Optional<URI> endpoint = source.get("recorder.s3.endpoint").map(raw -> endpoint(raw));
    String region = source.string("recorder.s3.region", "us-east-1");
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "recorder.s3.region='" + region + "' is invalid: use a region name such as eu-west-1");
    }
    Optional<String> keyId = source.get("recorder.s3.access-key-id");
    Optional<String> secret = source.get("recorder.s3.secret-access-key");
    if (keyId.isPresent() != secret.isPresent()) {
      throw new IllegalArgumentException(
          "recorder.s3.access-key-id and recorder.s3.secret-access-key go together: set both (or"
              + " their .file variants), or neither to use the AWS SDK's default credentials");
    }
    Optional<S3Settings.Credentials> credentials =
        keyId.map(id -> new S3Settings.Credentials(id, secret.orElseThrow()));
    return new S3Settings(
        bucket,
        prefix,
        endpoint,
        region,
        source.bool("recorder.s3.path-style", false),
        credentials);
  }

  private static URI endpoint(String raw) {
    try {
      URI uri = new URI(raw);
      boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      boolean bare = uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath());
      if (!web || uri.getHost() == null || !bare || uri.getQuery() != null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "recorder.s3.endpoint='"
              + raw
              + "' is invalid: use http(s)://host[:port] with no path, e.g. http://minio:9000",
          e);
    }
  }

  private static Optional<Duration> retention(ConfigSource source) {
    Optional<String> raw = source.get("recorder.retention");
    if (raw.isEmpty() || raw.get().equals("0")) {
      return Optional.empty();
    }
    Duration retention = duration("recorder.retention", raw.get());
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "recorder.retention='"
              + raw.get()
              + "' is invalid: use 0 (keep forever) or at least 1h, e.g. 90d");
    }
    return Optional.of(retention);
  }

  /** Like {@link ConfigSource#duration} with days as well: {@code 90d}. */
  static Duration duration(String key, String raw) {
    String text = raw.strip().toLowerCase(Locale.ROOT);
    if (text.endsWith("d") && !text.startsWith("p")) {
      try {
        return Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key + "='" + raw + "' is invalid: use a duration such as 90d, 12h, 30m or PT5S", e);
      }
    }
    return ConfigSource.parseDuration(key, raw);
  }

  private static Duration positive(
      ConfigSource source, String key, Duration defaultValue, Duration max) {
    Optional<String> raw = source.get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration value = duration(key, raw.get());
    if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + "='" + raw.get() + "' is invalid: use a duration above 0 and at most " + max);
    }
    return value;
  }

  private static Path workDir(ConfigSource source, String instanceId) {
    String fallback =
        Path.of(System.getProperty("java.io.tmpdir"), "voicebus-recorder-" + instanceId).toString();
    return path(source, "recorder.work-dir", fallback);
  }

  private static Path path(ConfigSource source, String key, String defaultValue) {
    String raw = source.string(key, defaultValue);
    try {
      return Path.of(raw).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(key + "='" + raw + "' is invalid: not a file path", e);
    }
  }

  private static StartAt startAt(ConfigSource source) {
    String raw = source.string("recorder.start-at", "latest");
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "latest" -> StartAt.LATEST;
      case "earliest" -> StartAt.EARLIEST;
      default ->
          throw new IllegalArgumentException(
              "recorder.start-at='" + raw + "' is invalid: use latest or earliest");
    };
  }
}
