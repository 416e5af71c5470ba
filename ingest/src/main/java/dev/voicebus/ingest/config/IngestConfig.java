package dev.voicebus.ingest.config;

import dev.voicebus.ingest.auth.TwilioAccounts;
import dev.voicebus.ingest.sip.SipRoutes;
import dev.voicebus.ingest.twilio.voice.TwilioNumbers;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.schemas.auth.TenantGrant;
import dev.voicebus.schemas.auth.TokenFile;
import dev.voicebus.schemas.config.ConfigSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the ingest service, read once from a {@link ConfigSource} and validated here so
 * that a bad value fails at start-up naming the key. Secrets are held as {@link Secret} or token
 * digests and never printed. See ingest/README.md for the table of keys and defaults.
 */
public record IngestConfig(
    Listen listen,
    Auth auth,
    Limits limits,
    Edge edge,
    Audio audio,
    Telephony telephony,
    Sip sip,
    String defaultAgentProfile,
    String defaultTenantId,
    boolean createTopics) {

  public IngestConfig {
    telephony.requireRoutable(auth.twilio());
    if (edge.maxConnections() < limits.maxConcurrentCalls()) {
      throw new IllegalArgumentException(
          "ingest.max-connections="
              + edge.maxConnections()
              + " is invalid: use at least ingest.max-concurrent-calls ("
              + limits.maxConcurrentCalls()
              + "), every call holds a connection");
    }
    if (edge.maxPendingPerCall() > limits.publishQueue() / 4) {
      throw new IllegalArgumentException(
          "ingest.kafka.max-pending-per-call="
              + edge.maxPendingPerCall()
              + " is invalid: use at most a quarter of ingest.kafka.publish-queue ("
              + limits.publishQueue() / 4
              + "), so that no single call can fill the queue");
    }
  }

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
   * Twilio call control: the REST API (transfers, hang-ups, outbound calls) at {@code apiBaseUrl},
   * whether an agent's hang-up also completes the call through it, the voice webhook's routing of
   * called numbers (the webhook is on when any is configured) and how long a stream token lives.
   */
  public record Telephony(
      URI apiBaseUrl,
      Duration apiTimeout,
      boolean restHangup,
      TwilioNumbers numbers,
      Duration streamTokenTtl) {

    /** Whether {@code POST /twilio/voice} answers calls, and {@code /twilio/media} needs tokens. */
    public boolean voiceWebhook() {
      return !numbers.isEmpty();
    }

    /** Fails unless every number's tenant has a Twilio account that may use its profile. */
    void requireRoutable(TwilioAccounts accounts) {
      for (TwilioNumbers.Route route : numbers.routes()) {
        if (!accounts.allows(route.tenant(), route.profile())) {
          throw new IllegalArgumentException(
              "ingest.twilio.numbers is invalid at '"
                  + route.number()
                  + "': no Twilio account of tenant "
                  + route.tenant()
                  + " allows profile "
                  + route.profile()
                  + " (ingest.twilio.auth-token serves tenant ingest.default-tenant-id with any"
                  + " profile; ingest.twilio.accounts-file lists each account's tenant and"
                  + " profiles)");
        }
      }
    }
  }

  /**
   * OpenAI's SIP path: the project webhook's signing secret (when set, {@code POST /openai/webhook}
   * is on), the routes of called numbers to tenants and profiles, and OpenAI's calls API (its base
   * URI in the WebSocket form the Realtime client takes, the key with how it is sent, the request
   * timeout), through which calls without a route or over their tenant's cap are rejected.
   */
  public record Sip(
      Optional<WebhookSecret> webhookSecret,
      SipRoutes routes,
      URI apiBase,
      Optional<ApiKey> apiKey,
      Duration apiTimeout) {

    /** Whether {@code POST /openai/webhook} answers. */
    public boolean webhook() {
      return webhookSecret.isPresent();
    }
  }

  /**
   * Credentials and what each is entitled to: the Twilio accounts whose signed streams are accepted
   * ({@code ingest.twilio.*}), and the bearer tokens of {@code /v1/*} ({@code ingest.api-token},
   * {@code ingest.tokens-file}).
   */
  public record Auth(TwilioAccounts twilio, TokenFile bearer) {}

  /**
   * What protects the node from hostile or broken clients: connection caps, the request-header and
   * stream-start deadlines, the per-call audio rate, the upload size and each call's share of the
   * publish queue.
   */
  public record Edge(
      int maxConnections,
      int maxConnectionsPerAddress,
      Duration requestHeaderTimeout,
      Duration startTimeout,
      double maxAudioRate,
      double uploadMaxAudioRate,
      Duration audioBurst,
      long maxUploadBytes,
      int maxPendingPerCall) {
    public Edge {
      if (maxConnectionsPerAddress > maxConnections) {
        throw new IllegalArgumentException(
            "ingest.max-connections-per-address="
                + maxConnectionsPerAddress
                + " is invalid: use at most ingest.max-connections ("
                + maxConnections
                + ")");
      }
    }
  }

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
    String defaultTenant = c.string("ingest.default-tenant-id", "default");
    return new IngestConfig(
        listen(c),
        auth(c, defaultTenant),
        limits(c),
        edge(c),
        audio(c),
        telephony(c, defaultTenant),
        sip(c, defaultTenant),
        c.string("ingest.default-agent-profile", "default"),
        defaultTenant,
        c.bool("ingest.create-topics", true));
  }

  private static Auth auth(ConfigSource c, String defaultTenant) {
    TwilioAccounts twilio =
        c.get("ingest.twilio.accounts-file")
            .map(path -> TwilioAccounts.load("ingest.twilio.accounts-file", Path.of(path)))
            .orElse(TwilioAccounts.NONE);
    Optional<String> accountSid = c.get("ingest.twilio.account-sid");
    accountSid.ifPresent(TwilioAccounts::requireAccountSid);
    Optional<String> authToken = c.get("ingest.twilio.auth-token");
    if (accountSid.isPresent() && authToken.isEmpty()) {
      throw new IllegalArgumentException(
          "ingest.twilio.account-sid is set without ingest.twilio.auth-token: set both, or list"
              + " the account in ingest.twilio.accounts-file");
    }
    if (authToken.isPresent()) {
      twilio =
          TwilioAccounts.single(
                  accountSid, new Secret(authToken.get()), TenantGrant.anyProfile(defaultTenant))
              .and(twilio, "ingest.twilio.auth-token and ingest.twilio.accounts-file");
    }
    TokenFile bearer =
        c.get("ingest.tokens-file")
            .map(path -> TokenFile.load("ingest.tokens-file", Path.of(path)))
            .orElse(TokenFile.NONE);
    Optional<String> apiToken = c.get("ingest.api-token");
    if (apiToken.isPresent()) {
      bearer =
          TokenFile.of(apiToken.get(), TenantGrant.anyProfile(defaultTenant))
              .and(bearer, "ingest.api-token and ingest.tokens-file");
    }
    return new Auth(twilio, bearer);
  }

  private static Telephony telephony(ConfigSource c, String defaultTenant) {
    return new Telephony(
        twilioApiBaseUrl(c),
        between(c, "ingest.twilio.api-timeout", Duration.ofSeconds(10), Duration.ofMinutes(1)),
        c.bool("ingest.twilio.rest-hangup", false),
        c.get("ingest.twilio.numbers")
            .map(v -> TwilioNumbers.parse(v, defaultTenant))
            .orElse(TwilioNumbers.NONE),
        between(
            c, "ingest.twilio.stream-token-ttl", Duration.ofMinutes(2), Duration.ofMinutes(10)));
  }

  private static Sip sip(ConfigSource c, String defaultTenant) {
    String secretKey = "ingest.openai.webhook-secret";
    Optional<WebhookSecret> secret =
        c.get(secretKey)
            .map(
                v -> {
                  try {
                    return WebhookSecret.parse(v);
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        secretKey + " is invalid: " + e.getMessage());
                  }
                });
    Optional<SipRoutes> routes =
        c.get("ingest.sip.routes").map(v -> SipRoutes.parse(v, defaultTenant));
    ApiKey.Scheme scheme =
        switch (c.string("ingest.openai.auth", "bearer").toLowerCase(Locale.ROOT)) {
          case "bearer" -> ApiKey.Scheme.BEARER;
          case "api-key" -> ApiKey.Scheme.API_KEY;
          default ->
              throw new IllegalArgumentException(
                  "ingest.openai.auth='"
                      + c.string("ingest.openai.auth", "")
                      + "' is invalid: use bearer (Authorization: Bearer, OpenAI) or api-key (an"
                      + " api-key header, Azure OpenAI)");
        };
    Optional<ApiKey> apiKey =
        c.get("ingest.openai.api-key")
            .map(
                k -> {
                  try {
                    return ApiKey.of(k, scheme);
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        "ingest.openai.api-key is invalid: " + e.getMessage());
                  }
                });
    URI apiBase = openAiApiBase(c);
    Duration timeout =
        between(c, "ingest.openai.api-timeout", Duration.ofSeconds(10), Duration.ofMinutes(1));
    if (secret.isPresent() && routes.isEmpty()) {
      throw new IllegalArgumentException(
          secretKey
              + " is set but ingest.sip.routes is not: say which tenant and profile answer each"
              + " called number, e.g. ingest.sip.routes=+15551230000=acme/support");
    }
    if (routes.isPresent() && secret.isEmpty()) {
      throw new IllegalArgumentException(
          "ingest.sip.routes is set but "
              + secretKey
              + " is not: set the signing secret (whsec_...) of the OpenAI project's webhook");
    }
    if (secret.isPresent() && apiKey.isEmpty()) {
      throw new IllegalArgumentException(
          secretKey
              + " is set but ingest.openai.api-key is not: ingest rejects calls without a route"
              + " or over their tenant's cap through OpenAI's calls API, with the project's key");
    }
    return new Sip(secret, routes.orElse(SipRoutes.NONE), apiBase, apiKey, timeout);
  }

  /**
   * OpenAI's API base for the calls API: {@code https://} (or {@code wss://}, the same host), or
   * {@code http://}/{@code ws://} for a local sandbox; returned in the WebSocket form.
   */
  private static URI openAiApiBase(ConfigSource c) {
    String key = "ingest.openai.api-url";
    URI uri = c.uri(key, URI.create("https://api.openai.com/v1"));
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    String ws =
        switch (scheme) {
          case "https", "wss" -> "wss";
          case "http", "ws" -> "ws";
          default -> null;
        };
    if (ws == null
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          key
              + "='"
              + uri
              + "' is invalid: use https://host[:port][/path] (default https://api.openai.com/v1),"
              + " or http:// for a local sandbox; no query or user");
    }
    return URI.create(ws + uri.toString().substring(scheme.length()));
  }

  /**
   * Twilio's REST API, or a stand-in for tests: https, or plain http to a loopback address only,
   * because every request carries the account's credentials.
   */
  private static URI twilioApiBaseUrl(ConfigSource c) {
    String key = "ingest.twilio.api-base-url";
    URI uri = c.uri(key, URI.create("https://api.twilio.com"));
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost());
    boolean bare =
        (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
            && uri.getQuery() == null
            && uri.getUserInfo() == null;
    if (!bare || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
      throw new IllegalArgumentException(
          key
              + "='"
              + uri
              + "' is invalid: use https://host[:port] (default https://api.twilio.com), or"
              + " http://127.0.0.1:port for a local stand-in; no path, query or user");
    }
    return uri;
  }

  /**
   * The URL Twilio reaches this node at: scheme {@code https}/{@code wss} (or {@code http}/{@code
   * ws} for local testing), host and optional port, nothing else.
   */
  private static Optional<URI> publicUrl(ConfigSource c) {
    String key = "ingest.public-url";
    if (c.get(key).isEmpty()) {
      return Optional.empty();
    }
    URI uri = c.uri(key, null);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean bare =
        (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
            && uri.getQuery() == null
            && uri.getFragment() == null
            && uri.getUserInfo() == null;
    if (!bare || !Set.of("https", "wss", "http", "ws").contains(scheme)) {
      throw new IllegalArgumentException(
          key
              + "='"
              + uri
              + "' is invalid: use https://host[:port] or wss://host[:port] (http:// or ws:// for"
              + " local testing only), without a path");
    }
    return Optional.of(uri);
  }

  private static Edge edge(ConfigSource c) {
    int maxConnections = c.integer("ingest.max-connections", 4000, 1, 1_000_000);
    return new Edge(
        maxConnections,
        // By default one address can hold half the node's connections, never all of them.
        c.integer(
            "ingest.max-connections-per-address", Math.max(1, maxConnections / 2), 1, 1_000_000),
        between(c, "ingest.request-header-timeout", Duration.ofSeconds(5), Duration.ofMinutes(1)),
        between(c, "ingest.start-timeout", Duration.ofSeconds(5), Duration.ofMinutes(1)),
        c.decimal("ingest.max-audio-rate", 1.0, 1.0, 100.0),
        c.decimal("ingest.upload.max-audio-rate", 20.0, 1.0, 1000.0),
        between(c, "ingest.audio-burst", Duration.ofSeconds(2), Duration.ofMinutes(1)),
        c.integer("ingest.max-upload-bytes", 128 * 1024 * 1024, 1024, Integer.MAX_VALUE),
        c.integer("ingest.kafka.max-pending-per-call", 2000, 100, 1_000_000));
  }

  private static Duration between(ConfigSource c, String key, Duration defaultValue, Duration max) {
    Duration value = positive(c, key, defaultValue);
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key
              + "='"
              + value
              + "' is invalid: use a positive duration of at most "
              + max.toSeconds()
              + "s");
    }
    return value;
  }

  private static Listen listen(ConfigSource c) {
    return new Listen(
        c.string("ingest.host", "0.0.0.0"),
        c.integer("ingest.port", 8080, 0, 65535),
        c.integer("ingest.admin-port", 8081, 0, 65535),
        publicUrl(c),
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
