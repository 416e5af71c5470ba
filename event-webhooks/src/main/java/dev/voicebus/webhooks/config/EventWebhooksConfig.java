package dev.voicebus.webhooks.config;

import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.webhooks.delivery.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every setting of the event-webhooks service, validated on construction: the service's {@link
 * Settings} and the endpoints of its webhooks file. {@link #from} reads both from a {@link
 * ConfigSource} (keys and defaults in the module README); {@link #settings} reads the settings
 * alone, without opening the file (for checks of deployment files, where the file is a mounted
 * secret).
 */
public record EventWebhooksConfig(Settings settings, List<Endpoint> endpoints) {

  public static final String WEBHOOKS_FILE = "event-webhooks.webhooks-file";
  public static final int DEFAULT_ADMIN_PORT = 8088;

  /**
   * The service's own settings.
   *
   * @param webhooksFile where the endpoints are read from
   * @param groupId consumer group of every instance
   * @param startFrom where a group without committed offsets starts: {@code latest} or {@code
   *     earliest}
   * @param adminHost bind address of the admin port
   * @param adminPort port of {@code /healthz}, {@code /readyz} and {@code /metrics} (0 ephemeral)
   * @param delivery how events are delivered
   * @param callLookback how far back call.control is read, when a partition is assigned, to learn
   *     the tenants of calls still running (longer than the longest call)
   * @param commitInterval how often settled offsets are committed
   */
  public record Settings(
      Path webhooksFile,
      String groupId,
      String startFrom,
      String adminHost,
      int adminPort,
      DeliverySettings delivery,
      Duration callLookback,
      Duration commitInterval) {

    public Settings {
      Objects.requireNonNull(webhooksFile, "webhooksFile");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(adminHost, "adminHost");
      Objects.requireNonNull(delivery, "delivery");
      if (!startFrom.equals("latest") && !startFrom.equals("earliest")) {
        throw new IllegalArgumentException(
            "event-webhooks.start-from='" + startFrom + "' is invalid: use latest or earliest");
      }
    }
  }

  /**
   * How events are delivered.
   *
   * @param timeout default time one attempt may take (an endpoint's {@code timeout} overrides it)
   * @param maxConcurrency default requests in flight to one endpoint
   * @param maxPendingPerEndpoint undelivered events one endpoint may have; more are shed to the
   *     dead-letter topic
   * @param maxPending undelivered events of all endpoints at which consumption pauses
   * @param retry when to try again
   */
  public record DeliverySettings(
      Duration timeout,
      int maxConcurrency,
      int maxPendingPerEndpoint,
      int maxPending,
      RetryPolicy retry) {

    public DeliverySettings {
      Objects.requireNonNull(retry, "retry");
      if (maxPending < maxPendingPerEndpoint) {
        throw new IllegalArgumentException(
            "event-webhooks.max-pending="
                + maxPending
                + " is invalid: use at least event-webhooks.max-pending-per-endpoint ("
                + maxPendingPerEndpoint
                + ")");
      }
    }
  }

  public EventWebhooksConfig {
    Objects.requireNonNull(settings, "settings");
    endpoints = List.copyOf(endpoints);
  }

  /** Reads the settings and the webhooks file; fails naming the key or the file entry. */
  public static EventWebhooksConfig from(ConfigSource source) {
    Settings settings = settings(source);
    return new EventWebhooksConfig(
        settings,
        WebhooksFile.read(
            settings.webhooksFile(),
            new WebhooksFile.Defaults(
                settings.delivery().timeout(), settings.delivery().maxConcurrency())));
  }

  /** Reads and checks the settings, without reading the webhooks file they name. */
  public static Settings settings(ConfigSource source) {
    var retry =
        new RetryPolicy(
            source.integer("event-webhooks.retry.max-attempts", 8, 1, 100),
            positive(source, "event-webhooks.retry.initial-backoff", Duration.ofSeconds(1)),
            positive(source, "event-webhooks.retry.max-backoff", Duration.ofMinutes(1)));
    Duration timeout = positive(source, "event-webhooks.timeout", Duration.ofSeconds(10));
    if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "event-webhooks.timeout=" + timeout + " is invalid: use at most 5m");
    }
    int perEndpoint =
        source.integer("event-webhooks.max-pending-per-endpoint", 5_000, 1, 1_000_000);
    var delivery =
        new DeliverySettings(
            timeout,
            source.integer(
                "event-webhooks.max-concurrency-per-endpoint", 4, 1, WebhooksFile.MAX_CONCURRENCY),
            perEndpoint,
            source.integer(
                "event-webhooks.max-pending", Math.max(20_000, perEndpoint), 1, 10_000_000),
            retry);
    return new Settings(
        Path.of(source.requireString(WEBHOOKS_FILE)),
        source.string("event-webhooks.group-id", "voicebus-event-webhooks"),
        source.string("event-webhooks.start-from", "latest").toLowerCase(Locale.ROOT),
        source.string("event-webhooks.admin-host", "0.0.0.0"),
        source.integer("event-webhooks.admin-port", DEFAULT_ADMIN_PORT, 0, 65_535),
        delivery,
        positive(source, "event-webhooks.call-lookback", Duration.ofHours(3)),
        positive(source, "event-webhooks.commit-interval", Duration.ofSeconds(1)));
  }

  public Path webhooksFile() {
    return settings.webhooksFile();
  }

  public String groupId() {
    return settings.groupId();
  }

  public String startFrom() {
    return settings.startFrom();
  }

  public String adminHost() {
    return settings.adminHost();
  }

  public int adminPort() {
    return settings.adminPort();
  }

  public DeliverySettings delivery() {
    return settings.delivery();
  }

  public Duration callLookback() {
    return settings.callLookback();
  }

  public Duration commitInterval() {
    return settings.commitInterval();
  }

  private static Duration positive(ConfigSource source, String key, Duration fallback) {
    Duration value = source.duration(key, fallback);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + "=" + value + " is invalid: use a duration above 0");
    }
    return value;
  }
}
