package dev.voicebus.realtime.client;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;

/**
 * Settings of a {@link RealtimeClient}, validated on construction (an invalid value fails with a
 * message naming the key, the value and what is valid). Start from {@link #defaults(ApiKey)} and
 * adjust with the {@code with*} methods.
 *
 * @param baseUri {@code ws://} or {@code wss://} base, default {@code wss://api.openai.com/v1}; the
 *     client connects to {@code baseUri + "/realtime?model=..."}
 * @param apiKey sent as {@code Authorization: Bearer} or {@code api-key} (see {@link
 *     ApiKey.Scheme}); null sends no header (local sandbox only)
 * @param connectTimeout TCP connect timeout
 * @param handshakeTimeout time allowed for the TLS and WebSocket handshakes after connecting
 * @param closeTimeout how long {@code close()} waits for the server's close frame before dropping
 *     the TCP connection
 * @param maxFrameBytes largest (aggregated) WebSocket message accepted, both directions
 * @param eventLoopThreads threads of the shared event loop group; 0 means Netty's default (2 x
 *     cores)
 * @param trustManagerFactory trust for {@code wss}; null means the JDK's default trust store. Set
 *     it only for a private CA or a test certificate; there is no trust-all option. Host names are
 *     always verified.
 */
public record RealtimeClientConfig(
    URI baseUri,
    ApiKey apiKey,
    Duration connectTimeout,
    Duration handshakeTimeout,
    Duration closeTimeout,
    int maxFrameBytes,
    int eventLoopThreads,
    TrustManagerFactory trustManagerFactory) {

  public static final URI OPENAI_BASE_URI = URI.create("wss://api.openai.com/v1");
  static final int MIN_FRAME_BYTES = 64 * 1024;
  static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

  public RealtimeClientConfig {
    checkBaseUri(baseUri);
    checkPositive("connectTimeout", connectTimeout);
    checkPositive("handshakeTimeout", handshakeTimeout);
    checkPositive("closeTimeout", closeTimeout);
    if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw invalid(
          "maxFrameBytes", maxFrameBytes, "between " + MIN_FRAME_BYTES + " and " + MAX_FRAME_BYTES);
    }
    if (eventLoopThreads < 0) {
      throw invalid("eventLoopThreads", eventLoopThreads, ">= 0 (0 = Netty default)");
    }
  }

  /**
   * OpenAI's endpoint with the given key: 10 s connect and handshake timeouts, 5 s close timeout,
   * 16 MiB frames (an {@code input_audio_buffer.append} may carry up to 15 MiB), default threads.
   */
  public static RealtimeClientConfig defaults(ApiKey apiKey) {
    return new RealtimeClientConfig(
        OPENAI_BASE_URI,
        apiKey,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        16 * 1024 * 1024,
        0,
        null);
  }

  public RealtimeClientConfig withBaseUri(URI value) {
    return new RealtimeClientConfig(
        value,
        apiKey,
        connectTimeout,
        handshakeTimeout,
        closeTimeout,
        maxFrameBytes,
        eventLoopThreads,
        trustManagerFactory);
  }

  /** The same settings with another credential (or none, for the local sandbox only). */
  public RealtimeClientConfig withApiKey(ApiKey value) {
    return new RealtimeClientConfig(
        baseUri,
        value,
        connectTimeout,
        handshakeTimeout,
        closeTimeout,
        maxFrameBytes,
        eventLoopThreads,
        trustManagerFactory);
  }

  public RealtimeClientConfig withTimeouts(Duration connect, Duration handshake, Duration close) {
    return new RealtimeClientConfig(
        baseUri,
        apiKey,
        connect,
        handshake,
        close,
        maxFrameBytes,
        eventLoopThreads,
        trustManagerFactory);
  }

  public RealtimeClientConfig withMaxFrameBytes(int value) {
    return new RealtimeClientConfig(
        baseUri,
        apiKey,
        connectTimeout,
        handshakeTimeout,
        closeTimeout,
        value,
        eventLoopThreads,
        trustManagerFactory);
  }

  public RealtimeClientConfig withEventLoopThreads(int value) {
    return new RealtimeClientConfig(
        baseUri,
        apiKey,
        connectTimeout,
        handshakeTimeout,
        closeTimeout,
        maxFrameBytes,
        value,
        trustManagerFactory);
  }

  /** Trust a private CA or test certificate instead of the JDK trust store (never trust-all). */
  public RealtimeClientConfig withTrustManagerFactory(TrustManagerFactory value) {
    return new RealtimeClientConfig(
        baseUri,
        apiKey,
        connectTimeout,
        handshakeTimeout,
        closeTimeout,
        maxFrameBytes,
        eventLoopThreads,
        value);
  }

  /** True when the base URI is {@code wss}. */
  public boolean isSecure() {
    return "wss".equalsIgnoreCase(baseUri.getScheme());
  }

  private static void checkBaseUri(URI uri) {
    String expected =
        "an absolute ws:// or wss:// URI with a host and no query, e.g. " + OPENAI_BASE_URI;
    if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
      throw invalid("baseUri", uri, expected);
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw invalid("baseUri", uri, expected);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
      throw invalid("baseUri", ApiKey.redactKeyLike(uri.toString()), expected);
    }
  }

  private static void checkPositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(key, value, "a positive duration");
    }
  }

  private static IllegalArgumentException invalid(String key, Object value, String expected) {
    return new IllegalArgumentException(
        "Invalid realtime client setting " + key + "=" + value + ": expected " + expected);
  }
}
