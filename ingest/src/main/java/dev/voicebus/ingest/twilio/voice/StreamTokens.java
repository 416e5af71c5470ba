package dev.voicebus.ingest.twilio.voice;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The stream tokens this node has issued: random, single use, valid for {@code
 * ingest.twilio.stream-token-ttl}, and bounded in number. A token is redeemed at the {@code
 * /twilio/media} upgrade (a second upgrade with it is refused as already used) and checked against
 * the stream's {@code start.callSid}. Tokens live in this node's memory only, so a stream must come
 * back to the node that issued its token. Thread-safe (issued and redeemed on event loops).
 */
public final class StreamTokens {

  /** The outcome of presenting a token at the upgrade. */
  public sealed interface Redemption permits Admitted, Refused {}

  /** The token was valid; it is now used. */
  public record Admitted(StreamToken token) implements Redemption {}

  /** The token does not admit a stream, for {@code reason} (told to the client). */
  public record Refused(String reason) implements Redemption {}

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final Duration ttl;
  private final int capacity;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, StreamToken> tokens = new HashMap<>();

  public StreamTokens(Duration ttl, int capacity) {
    this(ttl, capacity, System::nanoTime);
  }

  /** With a monotonic clock in nanoseconds, for tests. */
  StreamTokens(Duration ttl, int capacity, LongSupplier clock) {
    this.ttl = ttl;
    this.capacity = capacity;
    this.clock = clock;
  }

  /**
   * A new token for {@code grant}, bound to {@code callSid} when known; empty when this node holds
   * as many unexpired tokens as it may.
   */
  public synchronized Optional<StreamToken> issue(
      StreamToken.Grant grant, Optional<String> callSid) {
    long now = clock.getAsLong();
    if (tokens.size() >= capacity) {
      purge(now);
      if (tokens.size() >= capacity) {
        return Optional.empty();
      }
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    var token =
        new StreamToken(
            ENCODER.encodeToString(bytes), grant, now + ttl.toNanos(), callSid.orElse(null));
    tokens.put(token.value(), token);
    return Optional.of(token);
  }

  /** Binds an outbound call's token to the CallSid Twilio gave the call. */
  public synchronized void bind(StreamToken token, String callSid) {
    token.bind(callSid);
  }

  /** Forgets a token whose call was never placed. */
  public synchronized void revoke(StreamToken token) {
    tokens.remove(token.value());
  }

  /** Redeems {@code value}: admitted once while unexpired, refused with the reason otherwise. */
  public synchronized Redemption redeem(String value) {
    long now = clock.getAsLong();
    StreamToken token = tokens.get(value);
    if (token == null) {
      return new Refused(
          "stream token unknown: not issued by this node (a stream must reach the node that"
              + " answered its voice webhook or placed its call) or long expired");
    }
    if (token.used()) {
      return new Refused("stream token already used: each token admits one stream");
    }
    if (now - token.expiresAtNanos() >= 0) {
      return new Refused(
          "stream token expired: a stream must connect within "
              + ttl.toSeconds()
              + " s (ingest.twilio.stream-token-ttl)");
    }
    token.markUsed();
    return new Admitted(token);
  }

  /** Tokens held (unexpired, or expired and not yet purged). */
  public synchronized int size() {
    return tokens.size();
  }

  /**
   * Drops tokens expired for longer than one more TTL: until then a replay is told "already used"
   * or "expired" rather than "unknown".
   */
  private void purge(long now) {
    long keep = ttl.toNanos();
    tokens.values().removeIf(t -> now - t.expiresAtNanos() >= keep);
    if (tokens.size() >= capacity) {
      tokens.values().removeIf(t -> now - t.expiresAtNanos() >= 0);
    }
  }
}
