package dev.voicebus.simulator.twilio;

import java.net.URI;

/**
 * A call the simulated Twilio receives on one of its numbers and hands to a voice webhook: where
 * the webhook is ({@code webhook}), the URL Twilio signs for it ({@code signedUrl}, the public URL
 * it was configured with; usually the same), the account, and the caller's and called numbers.
 */
public record InboundDial(
    URI webhook, String signedUrl, String accountSid, String from, String to) {

  /** A call from {@code from} to {@code to} of {@code accountSid}, signed over {@code webhook}. */
  public static InboundDial of(URI webhook, String accountSid, String from, String to) {
    return new InboundDial(webhook, webhook.toString(), accountSid, from, to);
  }

  /** This call, signed over {@code url} (what Twilio knows the webhook as). */
  public InboundDial signedAs(String url) {
    return new InboundDial(webhook, url, accountSid, from, to);
  }
}
