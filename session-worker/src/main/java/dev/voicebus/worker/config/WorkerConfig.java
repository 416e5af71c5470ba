package dev.voicebus.worker.config;

import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.crypto.FieldKey;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.worker.cost.PriceBook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the session worker, read from a {@link ConfigSource} and validated at start-up.
 * The OpenAI API key is never shown by {@link #toString()}.
 *
 * <p>{@code realtimeUri} is a {@code ws(s)://} base; an {@code http(s)://} one (as the Azure portal
 * shows an endpoint, {@code https://RESOURCE.openai.azure.com/openai/v1}) is read as the same URL
 * with {@code ws(s)://}. {@code realtimeAuth} says how the key is sent: {@code bearer} ({@code
 * Authorization: Bearer}, OpenAI keys and Azure Entra ID tokens) or {@code api-key} (Azure OpenAI
 * resource keys).
 */
public record WorkerConfig(
    URI realtimeUri,
    String apiKey,
    ApiKey.Scheme realtimeAuth,
    String adminHost,
    int adminPort,
    Optional<Path> profilesFile,
    String applicationId,
    int streamThreads,
    int standbyReplicas,
    Path stateDir,
    Duration commitInterval,
    Duration sessionTimeout,
    Duration heartbeatInterval,
    Duration maxCallDuration,
    Duration callIdleTimeout,
    Duration sessionRotateAfter,
    int maxBufferedFrames,
    int outputQueueCapacity,
    Backoff reconnect,
    Duration transferTimeout,
    Optional<Path> fieldKeyFile,
    String fieldKeyId,
    PriceBook prices,
    Duration toolCatalogueTimeout) {

  public static final URI OPENAI = URI.create("wss://api.openai.com/v1");
  public static final int DEFAULT_ADMIN_PORT = 8082;

  public WorkerConfig {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "worker.openai-api-key (or OPENAI_API_KEY) is required; for the local sandbox any value works");
    }
    if (sessionRotateAfter.isNegative() || sessionRotateAfter.isZero()) {
      throw new IllegalArgumentException(
          "worker.session-rotate-after="
              + sessionRotateAfter
              + " is invalid: use a positive duration below the 60-minute cap");
    }
    requirePositive("worker.max-call-duration", maxCallDuration);
    if (toolCatalogueTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "worker.tool-catalogue-timeout="
              + toolCatalogueTimeout
              + " is invalid: use 0s (check once) or a positive duration such as 60s");
    }
    requirePositive("worker.call-idle-timeout", callIdleTimeout);
    requirePositive("worker.transfer-timeout", transferTimeout);
    if (heartbeatInterval.compareTo(sessionTimeout) >= 0 || heartbeatInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "worker.heartbeat-interval="
              + heartbeatInterval
              + " is invalid: use a positive duration below worker.session-timeout ("
              + sessionTimeout
              + ")");
    }
    realtimeUri = webSocketForm(realtimeUri);
    String scheme = realtimeUri.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException(
          "worker.realtime-url='"
              + realtimeUri
              + "' is invalid: use a ws://, wss:// (or http://, https://) base URL such as "
              + OPENAI);
    }
    if (realtimeUri.getRawQuery() != null || realtimeUri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "worker.realtime-url is invalid: use a base URL without query or user info, such as "
              + OPENAI
              + " (the model comes from the agent profile, the key from worker.openai-api-key)");
    }
    if (realtimeAuth == null) {
      throw new IllegalArgumentException("worker.realtime-auth is required: bearer or api-key");
    }
    if (adminPort < 0 || adminPort > 65_535) {
      throw new IllegalArgumentException(
          "worker.admin-port=" + adminPort + " is invalid: use a port from 0 to 65535");
    }
  }

  /** The Realtime client settings: this base URL, and the key sent as {@code realtimeAuth} says. */
  public RealtimeClientConfig realtimeClientConfig() {
    return RealtimeClientConfig.defaults(ApiKey.of(apiKey, realtimeAuth)).withBaseUri(realtimeUri);
  }

  /** {@code https://host/path} as {@code wss://host/path} (and http as ws); other URIs as given. */
  private static URI webSocketForm(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String ws =
        switch (scheme) {
          case "https" -> "wss";
          case "http" -> "ws";
          default -> null;
        };
    return ws == null ? uri : URI.create(ws + uri.toString().substring(scheme.length()));
  }

  /** Reads {@code worker.realtime-auth}: {@code bearer} (default) or {@code api-key}. */
  static ApiKey.Scheme realtimeAuth(ConfigSource config) {
    String raw = config.string("worker.realtime-auth", "bearer");
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "bearer" -> ApiKey.Scheme.BEARER;
      case "api-key" -> ApiKey.Scheme.API_KEY;
      default ->
          throw new IllegalArgumentException(
              "worker.realtime-auth='" + raw + "' is invalid: use bearer or api-key");
    };
  }

  public static WorkerConfig from(ConfigSource config) {
    String key =
        config
            .get("worker.openai-api-key")
            .or(() -> Optional.ofNullable(System.getenv("OPENAI_API_KEY")))
            .orElse("");
    return new WorkerConfig(
        config.uri("worker.realtime-url", OPENAI),
        key,
        realtimeAuth(config),
        config.string("worker.admin-host", "0.0.0.0"),
        config.integer("worker.admin-port", DEFAULT_ADMIN_PORT, 0, 65_535),
        config.get("worker.profiles-file").map(Path::of),
        config.string("worker.application-id", "voicebus-session-worker"),
        config.integer("worker.stream-threads", 2, 1, 64),
        config.integer("worker.standby-replicas", 1, 0, 8),
        Path.of(
            config.string(
                "worker.state-dir",
                System.getProperty("java.io.tmpdir") + "/voicebus-worker-state")),
        config.duration("worker.commit-interval", Duration.ofMillis(100)),
        config.duration("worker.session-timeout", Duration.ofSeconds(6)),
        config.duration("worker.heartbeat-interval", Duration.ofMillis(250)),
        config.duration("worker.max-call-duration", Duration.ofHours(2)),
        config.duration("worker.call-idle-timeout", Duration.ofSeconds(60)),
        config.duration("worker.session-rotate-after", Duration.ofMinutes(50)),
        config.integer("worker.max-buffered-frames", 500, 1, 100_000),
        config.integer("worker.output-queue-capacity", 100_000, 1_000, 10_000_000),
        new Backoff(
            config.duration("worker.reconnect.initial", Backoff.DEFAULT.initial()),
            config.duration("worker.reconnect.max", Backoff.DEFAULT.max()),
            config.integer("worker.reconnect.attempts", Backoff.DEFAULT.maxAttempts(), 1, 100)),
        config.duration("worker.transfer-timeout", Duration.ofSeconds(20)),
        config.get("worker.field-key-file").map(Path::of),
        config.string("worker.field-key-id", "k1"),
        PriceBook.from(config),
        config.duration("worker.tool-catalogue-timeout", Duration.ofSeconds(60)));
  }

  /** The limits and prices every call of this worker runs with. */
  public CallSettings callSettings() {
    return new CallSettings(
        maxCallDuration,
        callIdleTimeout,
        sessionRotateAfter,
        maxBufferedFrames,
        reconnect,
        transferTimeout,
        fieldKeyFile.map(file -> FieldCipher.of(FieldKey.fromFile(fieldKeyId, file))),
        prices);
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          key + "=" + value + " is invalid: use a positive duration such as 30s or 2h");
    }
  }

  @Override
  public String toString() {
    return "WorkerConfig[realtimeUri="
        + realtimeUri
        + ", apiKey=***, realtimeAuth="
        + realtimeAuth
        + ", admin="
        + adminHost
        + ":"
        + adminPort
        + ", profilesFile="
        + profilesFile
        + ", applicationId="
        + applicationId
        + ", streamThreads="
        + streamThreads
        + ", standbyReplicas="
        + standbyReplicas
        + ", maxCallDuration="
        + maxCallDuration
        + ", callIdleTimeout="
        + callIdleTimeout
        + "]";
  }
}
