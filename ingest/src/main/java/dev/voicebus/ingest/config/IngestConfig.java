package dev.voicebus.ingest.config;

import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of the ingest service, read once from a {@link ConfigSource} and validated here so
 * that a bad value fails at start-up naming the key. Secrets are held as {@link Secret} and never
 * printed. See ingest/README.md for the table of keys and defaults.
 */
public record IngestConfig(
    Listen listen,
    Auth auth,
    Limits limits,
    Audio audio,
    String defaultAgentProfile,
    String defaultTenantId,
    boolean createTopics) {

  /** Where the node listens: bind host, call port, admin port, TLS, public URL and I/O threads. */
  public record Listen(
      String host,
      int port,
      int adminPort,
      Optional<URI> publicUrl,
      Optional<Path> tlsCert,
      Optional<Path> tlsKey,
      int ioThreads) {
    public Listen {
      if (tlsCert.isPresent() != tlsKey.isPresent()) {
        throw new IllegalArgumentException(
            "ingest.tls.cert and ingest.tls.key must be set together (PEM files)");
      }
      tlsCert.ifPresent(p -> requireReadable("ingest.tls.cert", p));
      tlsKey.ifPresent(p -> requireReadable("ingest.tls.key", p));
    }
  }

  /**
   * Credentials: Twilio auth token (X-Twilio-Signature) and the bearer token of other endpoints.
   */
  public record Auth(Optional<Secret> twilioAuthToken, Optional<Secret> apiToken) {}

  /** Per-node and per-call limits. */
  public record Limits(
      int maxConcurrentCalls,
      int maxFrameBytes,
      int maxMessageBytes,
      Duration maxCallDuration,
      Duration idleTimeout,
      Duration drainTimeout,
      Duration kafkaStallTimeout,
      Duration kafkaProbeInterval,
      Duration maxBlock,
      int publishQueue) {}

  /**
   * Audio handling: inbound chunk length, reply partition, outbound pacing lead and queue bound.
   */
  public record Audio(
      int chunkMs,
      int replyPartition,
      Duration playbackLead,
      Duration maxQueuedPlayback,
      Duration hangupGrace) {
    public Audio {
      if (chunkMs % 20 != 0) {
        throw new IllegalArgumentException(
            "ingest.chunk-ms=" + chunkMs + " is invalid: use a multiple of 20 (Twilio frames)");
      }
    }
  }

  /** Reads every {@code ingest.*} setting with its default. */
  public static IngestConfig from(ConfigSource c) {
    return new IngestConfig(
        listen(c),
        new Auth(
            c.get("ingest.twilio.auth-token").map(Secret::new),
            c.get("ingest.api-token").map(Secret::new)),
        limits(c),
        audio(c),
        c.string("ingest.default-agent-profile", "default"),
        c.string("ingest.default-tenant-id", "default"),
        c.bool("ingest.create-topics", true));
  }

  private static Listen listen(ConfigSource c) {
    return new Listen(
        c.string("ingest.host", "0.0.0.0"),
        c.integer("ingest.port", 8080, 0, 65535),
        c.integer("ingest.admin-port", 8081, 0, 65535),
        c.get("ingest.public-url").map(v -> c.uri("ingest.public-url", null)),
        c.get("ingest.tls.cert").map(Path::of),
        c.get("ingest.tls.key").map(Path::of),
        c.integer("ingest.io-threads", 0, 0, 256));
  }

  private static Limits limits(ConfigSource c) {
    return new Limits(
        c.integer("ingest.max-concurrent-calls", 2000, 1, 1_000_000),
        c.integer("ingest.max-frame-bytes", 64 * 1024, 1024, 16 * 1024 * 1024),
        c.integer("ingest.max-message-bytes", 256 * 1024, 1024, 64 * 1024 * 1024),
        positive(c, "ingest.max-call-duration", Duration.ofHours(2)),
        positive(c, "ingest.idle-timeout", Duration.ofSeconds(30)),
        positive(c, "ingest.drain-timeout", Duration.ofSeconds(30)),
        positive(c, "ingest.kafka.stall-timeout", Duration.ofSeconds(10)),
        positive(c, "ingest.kafka.probe-interval", Duration.ofSeconds(5)),
        positive(c, "ingest.kafka.max-block", Duration.ofSeconds(60)),
        c.integer("ingest.kafka.publish-queue", 100_000, 1_000, 10_000_000));
  }

  private static Audio audio(ConfigSource c) {
    return new Audio(
        c.integer("ingest.chunk-ms", 20, 20, 1000),
        c.integer("ingest.reply-partition", 0, 0, 100_000),
        positive(c, "ingest.playback.lead", Duration.ofMillis(100)),
        positive(c, "ingest.playback.max-queued", Duration.ofMinutes(2)),
        positive(c, "ingest.playback.hangup-grace", Duration.ofSeconds(10)));
  }

  private static Duration positive(ConfigSource c, String key, Duration defaultValue) {
    Duration value = c.duration(key, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          key + "='" + value + "' is invalid: use a positive duration");
    }
    return value;
  }

  private static void requireReadable(String key, Path path) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(key + "='" + path + "' is invalid: file is not readable");
    }
  }
}
