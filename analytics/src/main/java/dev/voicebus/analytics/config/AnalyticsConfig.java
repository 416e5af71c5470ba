package dev.voicebus.analytics.config;

import dev.voicebus.schemas.auth.TenantGrant;
import dev.voicebus.schemas.auth.TokenFile;
import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the analytics service ({@code analytics.*}), validated on construction: every invalid
 * value fails start-up with a message naming the key, the value and what is allowed. Tokens are
 * held only as digests ({@link TokenFile}) and never shown by {@link #toString()}.
 */
public record AnalyticsConfig(
    Listen listen,
    Access access,
    StreamsSettings streams,
    Timing timing,
    DocumentLimits limits,
    JsonFormat callsJsonFormat,
    Optional<URI> consoleStreamUrl,
    boolean createTopics) {

  /** Where the query API (and console) and the admin port listen, and how peers reach this one. */
  public record Listen(
      String host,
      int port,
      String adminHost,
      int adminPort,
      Optional<String> advertisedHost,
      int httpThreads,
      int maxEventStreams) {

    public Listen {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(adminHost, "adminHost");
      requirePort("analytics.port", port);
      requirePort("analytics.admin-port", adminPort);
    }
  }

  /**
   * Who may query: bearer tokens of a tokens file (the same file as ingest's), the single-tenant
   * shortcut token, and an admin token that sees every tenant.
   */
  public record Access(TokenFile tenantTokens, Optional<TokenFile> adminToken) {

    public Access {
      Objects.requireNonNull(tenantTokens, "tenantTokens");
      Objects.requireNonNull(adminToken, "adminToken");
    }

    /** Whether any credential is configured; without one every query is refused. */
    public boolean enabled() {
      return !tenantTokens.isEmpty() || adminToken.isPresent();
    }
  }

  /** The Kafka Streams application. */
  public record StreamsSettings(
      String applicationId,
      int streamThreads,
      int standbyReplicas,
      Path stateDir,
      Duration commitInterval,
      ProcessingGuarantee guarantee,
      StoreType store) {}

  /** How often documents are published, and when a call counts as over, and what is kept. */
  public record Timing(
      Duration publishInterval,
      Duration finalGrace,
      Duration abandonAfter,
      Duration retention,
      Duration usageRetention) {}

  /** The processing guarantee of the Streams application. */
  public enum ProcessingGuarantee {
    EXACTLY_ONCE_V2("exactly_once_v2"),
    AT_LEAST_ONCE("at_least_once");

    private final String streamsValue;

    ProcessingGuarantee(String streamsValue) {
      this.streamsValue = streamsValue;
    }

    public String streamsValue() {
      return streamsValue;
    }
  }

  /** Where the stores keep their data (both are changelogged to Kafka). */
  public enum StoreType {
    IN_MEMORY,
    ROCKSDB
  }

  /** What {@code calls.json} carries. */
  public enum JsonFormat {
    /** The document as a plain JSON object. */
    PLAIN,
    /** Kafka Connect's JsonConverter envelope ({@code schema} + {@code payload}). */
    CONNECT
  }

  public static final int DEFAULT_PORT = 8084;
  public static final int DEFAULT_ADMIN_PORT = 8085;

  public AnalyticsConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(callsJsonFormat, "callsJsonFormat");
    Objects.requireNonNull(consoleStreamUrl, "consoleStreamUrl");
  }

  /** Reads every {@code analytics.*} setting from {@code source}. */
  public static AnalyticsConfig from(ConfigSource source) {
    var listen =
        new Listen(
            source.string("analytics.host", "0.0.0.0"),
            source.integer("analytics.port", DEFAULT_PORT, 0, 65_535),
            source.string("analytics.admin-host", "0.0.0.0"),
            source.integer("analytics.admin-port", DEFAULT_ADMIN_PORT, 0, 65_535),
            source.get("analytics.advertised-host"),
            source.integer("analytics.http-threads", 32, 4, 1000),
            source.integer("analytics.max-event-streams", 16, 1, 1000));
    if (listen.maxEventStreams() >= listen.httpThreads()) {
      throw new IllegalArgumentException(
          "analytics.max-event-streams='"
              + listen.maxEventStreams()
              + "' is invalid: use fewer than analytics.http-threads ("
              + listen.httpThreads()
              + "), so plain queries always find a thread");
    }
    var streams =
        new StreamsSettings(
            source.string("analytics.application-id", "voicebus-analytics"),
            source.integer("analytics.stream-threads", 1, 1, 64),
            source.integer("analytics.standby-replicas", 0, 0, 10),
            Path.of(
                source.string(
                    "analytics.state-dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "voicebus-analytics-state")
                        .toString())),
            positive(source, "analytics.commit-interval", Duration.ofSeconds(1)),
            choice(
                source,
                "analytics.processing-guarantee",
                ProcessingGuarantee.EXACTLY_ONCE_V2,
                ProcessingGuarantee.class),
            choice(source, "analytics.store", StoreType.IN_MEMORY, StoreType.class));
    var timing =
        new Timing(
            positive(source, "analytics.publish-interval", Duration.ofSeconds(1)),
            positive(source, "analytics.final-grace", Duration.ofSeconds(10)),
            positive(source, "analytics.abandon-after", Duration.ofHours(3)),
            positive(source, "analytics.retention", Duration.ofDays(7)),
            positive(source, "analytics.usage-retention", Duration.ofDays(90)));
    var limits =
        new DocumentLimits(
            source.integer("analytics.max-turns", DocumentLimits.DEFAULTS.maxTurns(), 10, 100_000),
            source.integer(
                "analytics.max-tool-calls", DocumentLimits.DEFAULTS.maxToolCalls(), 1, 10_000),
            source.integer(
                "analytics.max-text-chars", DocumentLimits.DEFAULTS.maxTextChars(), 100, 1_000_000),
            source.integer(
                "analytics.max-list-entries", DocumentLimits.DEFAULTS.maxListEntries(), 1, 10_000),
            source.integer(
                "analytics.max-document-bytes",
                DocumentLimits.DEFAULTS.maxDocumentBytes(),
                16 * 1024,
                64 * 1024 * 1024));
    Optional<URI> streamUrl = Optional.empty();
    if (source.get("analytics.console.stream-url").isPresent()) {
      URI uri = source.uri("analytics.console.stream-url", null);
      if (!uri.getScheme().equals("ws") && !uri.getScheme().equals("wss")) {
        throw new IllegalArgumentException(
            "analytics.console.stream-url='"
                + uri
                + "' is invalid: use ingest's plain stream as ws://HOST:PORT/v1/stream or wss://...");
      }
      streamUrl = Optional.of(uri);
    }
    return new AnalyticsConfig(
        listen,
        access(source),
        streams,
        timing,
        limits,
        choice(source, "analytics.calls-json.format", JsonFormat.PLAIN, JsonFormat.class),
        streamUrl,
        source.bool("analytics.create-topics", true));
  }

  private static Access access(ConfigSource source) {
    TokenFile tokens = TokenFile.NONE;
    Optional<String> file = source.get("analytics.tokens-file");
    if (file.isPresent()) {
      tokens = TokenFile.load("analytics.tokens-file", Path.of(file.get()));
    }
    Optional<String> single = source.get("analytics.api-token");
    if (single.isPresent()) {
      requireLength("analytics.api-token", single.get());
      String tenant = source.string("analytics.default-tenant-id", "default");
      tokens =
          tokens.and(
              TokenFile.of(single.get(), TenantGrant.anyProfile(tenant)),
              "analytics.api-token and analytics.tokens-file");
    }
    Optional<TokenFile> admin = Optional.empty();
    Optional<String> adminToken = source.get("analytics.admin-token");
    if (adminToken.isPresent()) {
      requireLength("analytics.admin-token", adminToken.get());
      TokenFile adminFile = TokenFile.of(adminToken.get(), TenantGrant.anyProfile("*"));
      // The admin token must not also be a tenant's token: it would be ambiguous which it grants.
      tokens.and(adminFile, "analytics.admin-token and a tenant token");
      admin = Optional.of(adminFile);
    }
    return new Access(tokens, admin);
  }

  private static void requireLength(String key, String token) {
    if (token.length() < TokenFile.MIN_TOKEN_LENGTH) {
      // Never the value: it is a secret.
      throw new IllegalArgumentException(
          key + " is invalid: use at least " + TokenFile.MIN_TOKEN_LENGTH + " random characters");
    }
  }

  private static Duration positive(ConfigSource source, String key, Duration fallback) {
    Duration value = source.duration(key, fallback);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          key + "='" + source.get(key).orElse("") + "' is invalid: use a positive duration");
    }
    return value;
  }

  private static <E extends Enum<E>> E choice(
      ConfigSource source, String key, E fallback, Class<E> type) {
    Optional<String> raw = source.get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    String normalized = raw.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(normalized)) {
        return value;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E value : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(display(value));
    }
    throw new IllegalArgumentException(
        key + "='" + raw.get() + "' is invalid: use one of " + allowed);
  }

  private static String display(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void requirePort(String key, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          key + "='" + port + "' is invalid: use a port from 0 to 65535");
    }
  }

  @Override
  public String toString() {
    return "AnalyticsConfig[port="
        + listen.port()
        + ", adminPort="
        + listen.adminPort()
        + ", applicationId="
        + streams.applicationId()
        + ", store="
        + display(streams.store())
        + ", guarantee="
        + streams.guarantee().streamsValue()
        + ", tokens="
        + access.tenantTokens()
        + ", admin="
        + access.adminToken().isPresent()
        + ", limits="
        + limits
        + "]";
  }
}
