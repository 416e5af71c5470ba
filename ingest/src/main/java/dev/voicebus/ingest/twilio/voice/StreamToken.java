package dev.voicebus.ingest.twilio.voice;

import dev.voicebus.ingest.auth.TwilioAccounts;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A per-call admission to {@code /twilio/media}, issued by {@link StreamTokens} with the TwiML that
 * connects a call to its stream: which Voicebus call it becomes, the Twilio account whose call it
 * is, the tenant and profile it was routed to, and the metadata the call starts with. It is bound
 * to the CallSid of that one call (at once for the voice webhook, once Twilio has answered the REST
 * request for an outbound call); a stream whose {@code start.callSid} differs is refused. Its value
 * never appears in {@code toString}.
 */
public final class StreamToken {

  /** What the token admits. */
  public record Grant(
      String callId,
      TwilioAccounts.Account account,
      String tenant,
      String profile,
      Map<String, String> metadata) {
    public Grant {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(account, "account");
      metadata = Map.copyOf(metadata);
    }
  }

  private final String value;
  private final Grant grant;
  private final long expiresAtNanos;
  private volatile String callSid;
  private boolean used;

  StreamToken(String value, Grant grant, long expiresAtNanos, String callSid) {
    this.value = value;
    this.grant = grant;
    this.expiresAtNanos = expiresAtNanos;
    this.callSid = callSid;
  }

  /** The secret value carried in the stream URL ({@code ?token=}). */
  public String value() {
    return value;
  }

  public Grant grant() {
    return grant;
  }

  /** The CallSid it is bound to; empty for an outbound call Twilio has not yet confirmed. */
  public Optional<String> callSid() {
    return Optional.ofNullable(callSid);
  }

  /**
   * Why a stream whose {@code start.callSid} is {@code presented} may not use this token; empty
   * when it is the call the token was issued for.
   */
  public Optional<String> checkCallSid(String presented) {
    String bound = callSid;
    if (bound == null) {
      return Optional.of("this stream token is not bound to a call yet");
    }
    if (!bound.equals(presented)) {
      return Optional.of(
          "start.callSid '"
              + (presented.length() <= 40 ? presented : presented.substring(0, 40) + "...")
              + "' is not the call this stream token was issued for");
    }
    return Optional.empty();
  }

  void bind(String sid) {
    callSid = sid;
  }

  long expiresAtNanos() {
    return expiresAtNanos;
  }

  boolean used() {
    return used;
  }

  void markUsed() {
    used = true;
  }

  @Override
  public String toString() {
    return "StreamToken[call "
        + grant.callId()
        + ", "
        + (callSid == null ? "unbound" : callSid)
        + "]";
  }
}
