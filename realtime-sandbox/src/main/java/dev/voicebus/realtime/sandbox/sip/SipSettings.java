package dev.voicebus.realtime.sandbox.sip;

import dev.voicebus.realtime.webhook.WebhookSecret;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the sandbox plays OpenAI's SIP side.
 *
 * @param webhookUrl where {@code realtime.call.incoming} is posted (the project's webhook), or null
 *     until configured
 * @param webhookSecret the {@code whsec_} secret webhooks are signed with, or null (then one is
 *     generated and the webhook can only be verified by whoever reads it from the sandbox)
 * @param ringTimeout how long a call rings unanswered before it ends (a guess: OpenAI does not
 *     document it; 30 s is close to SIP's INVITE timeout of 32 s)
 * @param webhookTimeout how long one delivery may take before it counts as failed ("a few seconds"
 *     in OpenAI's webhook guide)
 * @param retryInitial delay before the first redelivery; each next one doubles (OpenAI: exponential
 *     backoff)
 * @param maxDeliveries attempts per webhook, the first included; retries also stop once the call no
 *     longer rings
 * @param callerStart the simulated caller starts talking once a sideband socket attached, or this
 *     long after the call was accepted
 * @param callerPatience how long the simulated caller waits for the agent before hanging up
 */
public record SipSettings(
    URI webhookUrl,
    WebhookSecret webhookSecret,
    Duration ringTimeout,
    Duration webhookTimeout,
    Duration retryInitial,
    int maxDeliveries,
    Duration callerStart,
    Duration callerPatience) {

  public static final SipSettings DEFAULTS =
      new SipSettings(
          null,
          null,
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          6,
          Duration.ofSeconds(5),
          Duration.ofSeconds(30));

  public SipSettings {
    if (webhookUrl != null) {
      String scheme = String.valueOf(webhookUrl.getScheme()).toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || webhookUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "SIP webhook URL " + webhookUrl + " must be an absolute http:// or https:// URL");
      }
    }
    positive("ringTimeout", ringTimeout);
    positive("webhookTimeout", webhookTimeout);
    positive("retryInitial", retryInitial);
    positive("callerStart", callerStart);
    positive("callerPatience", callerPatience);
    if (maxDeliveries < 1 || maxDeliveries > 20) {
      throw new IllegalArgumentException("maxDeliveries must be 1-20, got " + maxDeliveries);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  public SipSettings withWebhook(URI url, WebhookSecret secret) {
    return new SipSettings(
        url,
        secret,
        ringTimeout,
        webhookTimeout,
        retryInitial,
        maxDeliveries,
        callerStart,
        callerPatience);
  }

  public SipSettings withRingTimeout(Duration value) {
    return new SipSettings(
        webhookUrl,
        webhookSecret,
        value,
        webhookTimeout,
        retryInitial,
        maxDeliveries,
        callerStart,
        callerPatience);
  }

  /** Delivery timing: per-attempt timeout, first retry delay (doubling), attempts in all. */
  public SipSettings withDelivery(Duration timeout, Duration firstRetry, int attempts) {
    return new SipSettings(
        webhookUrl,
        webhookSecret,
        ringTimeout,
        timeout,
        firstRetry,
        attempts,
        callerStart,
        callerPatience);
  }

  public SipSettings withCaller(Duration start, Duration patience) {
    return new SipSettings(
        webhookUrl,
        webhookSecret,
        ringTimeout,
        webhookTimeout,
        retryInitial,
        maxDeliveries,
        start,
        patience);
  }
}
