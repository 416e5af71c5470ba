package dev.voicebus.realtime.sandbox.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Faults to inject into sessions, so tests can exercise a client's error paths: closing after a
 * time or a number of server events, a session cap that closes with 1001 like OpenAI's 60-minute
 * cap, delayed responses and rate-limited responses. Zero or null means "off".
 *
 * @param closeAfter close the socket this long after it opened (null: never)
 * @param closeAfterEvents close the socket after this many server events (0: never)
 * @param closeCode close code for {@link CloseMode#CLOSE_FRAME} closes (1011 by default)
 * @param closeMode close frame or abrupt TCP drop
 * @param sessionCap close with 1001 and OpenAI's message after this long (null: never)
 * @param responseDelay wait this long before {@code response.created}
 * @param rateLimitEvery fail every Nth response with {@code rate_limit_exceeded} (0: never)
 */
public record FaultConfig(
    Duration closeAfter,
    int closeAfterEvents,
    int closeCode,
    CloseMode closeMode,
    Duration sessionCap,
    Duration responseDelay,
    int rateLimitEvery) {

  /** No faults. */
  public static final FaultConfig NONE =
      new FaultConfig(null, 0, 1011, CloseMode.CLOSE_FRAME, null, Duration.ZERO, 0);

  public FaultConfig {
    Objects.requireNonNull(closeMode, "closeMode");
    responseDelay = responseDelay == null ? Duration.ZERO : responseDelay;
    if (closeAfterEvents < 0 || rateLimitEvery < 0) {
      throw new IllegalArgumentException(
          "closeAfterEvents and rateLimitEvery must be >= 0, got "
              + closeAfterEvents
              + " and "
              + rateLimitEvery);
    }
    if (closeCode < 1000 || closeCode > 4999) {
      throw new IllegalArgumentException("closeCode must be 1000-4999, got " + closeCode);
    }
  }

  public FaultConfig withCloseAfter(Duration d) {
    return new FaultConfig(
        d, closeAfterEvents, closeCode, closeMode, sessionCap, responseDelay, rateLimitEvery);
  }

  public FaultConfig withCloseAfterEvents(int n, CloseMode mode, int code) {
    return new FaultConfig(closeAfter, n, code, mode, sessionCap, responseDelay, rateLimitEvery);
  }

  public FaultConfig withCloseMode(CloseMode mode) {
    return new FaultConfig(
        closeAfter, closeAfterEvents, closeCode, mode, sessionCap, responseDelay, rateLimitEvery);
  }

  public FaultConfig withSessionCap(Duration d) {
    return new FaultConfig(
        closeAfter, closeAfterEvents, closeCode, closeMode, d, responseDelay, rateLimitEvery);
  }

  public FaultConfig withResponseDelay(Duration d) {
    return new FaultConfig(
        closeAfter, closeAfterEvents, closeCode, closeMode, sessionCap, d, rateLimitEvery);
  }

  public FaultConfig withRateLimitEvery(int n) {
    return new FaultConfig(
        closeAfter, closeAfterEvents, closeCode, closeMode, sessionCap, responseDelay, n);
  }

  /**
   * Reads the {@code faults} object of a scenario file, on top of {@code base}: {@code
   * close_after_ms}, {@code close_after_events}, {@code close_code}, {@code close_mode}
   * ("close_frame"|"drop"), {@code session_cap_ms}, {@code response_delay_ms}, {@code
   * rate_limit_every}.
   */
  public static FaultConfig fromJson(JsonNode json, FaultConfig base) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return base;
    }
    return new FaultConfig(
        millis(json, "close_after_ms", base.closeAfter()),
        json.path("close_after_events").asInt(base.closeAfterEvents()),
        json.path("close_code").asInt(base.closeCode()),
        json.has("close_mode")
            ? CloseMode.valueOf(json.get("close_mode").asText().toUpperCase(Locale.ROOT))
            : base.closeMode(),
        millis(json, "session_cap_ms", base.sessionCap()),
        millis(json, "response_delay_ms", base.responseDelay()),
        json.path("rate_limit_every").asInt(base.rateLimitEvery()));
  }

  private static Duration millis(JsonNode json, String field, Duration fallback) {
    return json.hasNonNull(field) ? Duration.ofMillis(json.get(field).asLong()) : fallback;
  }
}
