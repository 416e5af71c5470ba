package dev.voicebus.simulator;

import java.net.URI;
import java.util.Map;

/**
 * A Media Stream Twilio opens for a TwiML {@code <Connect><Stream url="...">}: where it connects
 * ({@code connectTo}), the URL it signs ({@code signedUrl}: the TwiML's url, which differs from
 * {@code connectTo} when a proxy or tunnel stands in front of ingest), the signing account's auth
 * token, the call's account and CallSid, and the TwiML's {@code <Parameter>}s.
 */
public record StreamRequest(
    URI connectTo,
    String signedUrl,
    String authToken,
    String accountSid,
    String callSid,
    Map<String, String> parameters) {

  public StreamRequest {
    parameters = Map.copyOf(parameters);
  }

  /** A stream to {@code url}, signed over it. */
  public static StreamRequest of(
      URI url,
      String authToken,
      String accountSid,
      String callSid,
      Map<String, String> parameters) {
    return new StreamRequest(url, url.toString(), authToken, accountSid, callSid, parameters);
  }

  /** This stream, connecting to {@code target} but still signed over {@link #signedUrl()}. */
  public StreamRequest via(URI target) {
    return new StreamRequest(target, signedUrl, authToken, accountSid, callSid, parameters);
  }
}
