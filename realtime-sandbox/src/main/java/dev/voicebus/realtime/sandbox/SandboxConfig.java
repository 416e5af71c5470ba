package dev.voicebus.realtime.sandbox;

import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import dev.voicebus.realtime.sandbox.protocol.ResponsePacing;
import dev.voicebus.realtime.sandbox.sip.SipSettings;
import dev.voicebus.realtime.webhook.WebhookSecret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link RealtimeSandbox}, validated on construction. Build it from {@link
 * #defaults()} with the {@code with*} methods, or from the environment with {@link #fromEnv}.
 *
 * @param host address to bind (loopback by default)
 * @param port port to bind, 0 for an ephemeral port
 * @param rejectedKeys API keys answered with 401 {@code invalid_api_key}, for client error tests
 * @param scenarioDir extra scenario JSON files, or null
 * @param defaultScenario scenario used when instructions name none
 * @param faults faults applied to every session (unless its scenario brings its own)
 * @param pacing chunking and speed of agent audio
 * @param recordCap maximum entries per list in a session record
 * @param ioThreads event loop threads, 0 for Netty's default (2 x cores)
 * @param tls TLS settings for {@code wss://}, or null for plain {@code ws://}
 * @param auth the credential the upgrade must carry (any non-empty key by default)
 * @param sip how the SIP emulation delivers webhooks and plays the caller
 */
public record SandboxConfig(
    String host,
    int port,
    Set<String> rejectedKeys,
    Path scenarioDir,
    String defaultScenario,
    FaultConfig faults,
    ResponsePacing pacing,
    int recordCap,
    int ioThreads,
    TlsSettings tls,
    SandboxAuth auth,
    SipSettings sip) {

  public SandboxConfig {
    Objects.requireNonNull(host, "host");
    rejectedKeys = Set.copyOf(rejectedKeys);
    Objects.requireNonNull(defaultScenario, "defaultScenario");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(pacing, "pacing");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(sip, "sip");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (recordCap < 0 || ioThreads < 0) {
      throw new IllegalArgumentException(
          "recordCap and ioThreads must be >= 0, got " + recordCap + ", " + ioThreads);
    }
  }

  /** Loopback, ephemeral port, {@code sk-invalid} rejected, default scenario, no faults. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        "127.0.0.1",
        0,
        Set.of("sk-invalid"),
        null,
        "default",
        FaultConfig.NONE,
        ResponsePacing.DEFAULT,
        1000,
        0,
        null,
        SandboxAuth.ANY,
        SipSettings.DEFAULTS);
  }

  /**
   * Reads {@code SANDBOX_HOST}, {@code SANDBOX_PORT}, {@code SANDBOX_SCENARIO_DIR}, {@code
   * SANDBOX_DEFAULT_SCENARIO}, {@code SANDBOX_AUDIO_SPEED}, {@code SANDBOX_SESSION_CAP_SECONDS},
   * {@code SANDBOX_AUTH} and {@code SANDBOX_API_KEY} (see {@link SandboxAuth#fromEnv}), and the SIP
   * emulation's {@code SANDBOX_SIP_WEBHOOK_URL}, {@code SANDBOX_SIP_WEBHOOK_SECRET} (or {@code
   * SANDBOX_SIP_WEBHOOK_SECRET_FILE}) and {@code SANDBOX_SIP_RING_TIMEOUT_SECONDS} over the
   * defaults.
   */
  public static SandboxConfig fromEnv(Map<String, String> env) {
    SandboxConfig c = defaults();
    c = c.withHost(env.getOrDefault("SANDBOX_HOST", c.host()));
    c = c.withPort(parseInt(env, "SANDBOX_PORT", 8765));
    if (env.containsKey("SANDBOX_SCENARIO_DIR")) {
      c = c.withScenarioDir(Path.of(env.get("SANDBOX_SCENARIO_DIR")));
    }
    c = c.withDefaultScenario(env.getOrDefault("SANDBOX_DEFAULT_SCENARIO", "default"));
    if (env.containsKey("SANDBOX_AUDIO_SPEED")) {
      c =
          c.withPacing(
              new ResponsePacing(c.pacing().chunkMs(), parseDouble(env, "SANDBOX_AUDIO_SPEED")));
    }
    c = c.withAuth(SandboxAuth.fromEnv(env));
    if (env.containsKey("SANDBOX_SESSION_CAP_SECONDS")) {
      long s = parseInt(env, "SANDBOX_SESSION_CAP_SECONDS", 3600);
      c = c.withFaults(c.faults().withSessionCap(Duration.ofSeconds(s)));
    }
    return c.withSip(sipFromEnv(env));
  }

  private static SipSettings sipFromEnv(Map<String, String> env) {
    SipSettings sip = SipSettings.DEFAULTS;
    URI url = null;
    String rawUrl = env.get("SANDBOX_SIP_WEBHOOK_URL");
    if (rawUrl != null && !rawUrl.isBlank()) {
      try {
        url = URI.create(rawUrl.strip());
        sip = sip.withWebhook(url, null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "SANDBOX_SIP_WEBHOOK_URL='"
                + rawUrl
                + "' is invalid: use http(s)://host:port/path, e.g."
                + " http://ingest:8080/openai/webhook",
            e);
      }
    }
    String secret = env.get("SANDBOX_SIP_WEBHOOK_SECRET");
    String secretFile = env.get("SANDBOX_SIP_WEBHOOK_SECRET_FILE");
    if (secret != null && !secret.isBlank() && secretFile != null && !secretFile.isBlank()) {
      throw new IllegalArgumentException(
          "set SANDBOX_SIP_WEBHOOK_SECRET or SANDBOX_SIP_WEBHOOK_SECRET_FILE, not both");
    }
    if (secretFile != null && !secretFile.isBlank()) {
      secret = readSecretFile(secretFile.strip());
    }
    if (secret != null && !secret.isBlank()) {
      try {
        sip = sip.withWebhook(url, WebhookSecret.parse(secret));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "SANDBOX_SIP_WEBHOOK_SECRET is invalid: " + e.getMessage());
      }
    }
    if (env.containsKey("SANDBOX_SIP_RING_TIMEOUT_SECONDS")) {
      int seconds = parseInt(env, "SANDBOX_SIP_RING_TIMEOUT_SECONDS", 30);
      if (seconds < 1 || seconds > 600) {
        throw new IllegalArgumentException(
            "SANDBOX_SIP_RING_TIMEOUT_SECONDS must be 1-600, got " + seconds);
      }
      sip = sip.withRingTimeout(Duration.ofSeconds(seconds));
    }
    return sip;
  }

  private static String readSecretFile(String path) {
    try {
      return java.nio.file.Files.readString(Path.of(path)).strip();
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "SANDBOX_SIP_WEBHOOK_SECRET_FILE='"
              + path
              + "' cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static int parseInt(Map<String, String> env, String key, int fallback) {
    String v = env.get(key);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }

  private static double parseDouble(Map<String, String> env, String key) {
    String v = env.get(key);
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'", e);
    }
  }

  public SandboxConfig withHost(String h) {
    return new SandboxConfig(
        h,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withPort(int p) {
    return new SandboxConfig(
        host,
        p,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withRejectedKeys(Set<String> keys) {
    return new SandboxConfig(
        host,
        port,
        keys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withScenarioDir(Path dir) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        dir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withDefaultScenario(String name) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        name,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withFaults(FaultConfig f) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        f,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withPacing(ResponsePacing p) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        p,
        recordCap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withRecordCap(int cap) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        cap,
        ioThreads,
        tls,
        auth,
        sip);
  }

  public SandboxConfig withTls(TlsSettings t) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        t,
        auth,
        sip);
  }

  public SandboxConfig withIoThreads(int n) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        n,
        tls,
        auth,
        sip);
  }

  /** How the SIP emulation delivers webhooks and plays the caller. */
  public SandboxConfig withSip(SipSettings s) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        auth,
        s);
  }

  /** Demand this credential in every upgrade (default: any non-empty key). */
  public SandboxConfig withAuth(SandboxAuth a) {
    return new SandboxConfig(
        host,
        port,
        rejectedKeys,
        scenarioDir,
        defaultScenario,
        faults,
        pacing,
        recordCap,
        ioThreads,
        tls,
        a,
        sip);
  }
}
