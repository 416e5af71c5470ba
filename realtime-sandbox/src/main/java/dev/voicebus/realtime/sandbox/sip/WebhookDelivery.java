package dev.voicebus.realtime.sandbox.sip;

import dev.voicebus.realtime.sandbox.protocol.Ids;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.realtime.webhook.WebhookSigner;
import dev.voicebus.realtime.webhook.WebhookVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a call's {@code realtime.call.incoming} event to the project webhook as OpenAI does: JSON
 * body, {@code user-agent: OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)}, and the
 * Standard Webhooks headers, signed afresh for every attempt (new timestamp, same {@code
 * webhook-id}). A non-2xx answer, a redirect (never followed) or no answer within the timeout is
 * retried with doubling delays while the call still rings, up to the attempt limit. Optionally
 * delivers the event once more after the first success. Attempts run on the JDK HTTP client's
 * threads; decisions on the call's event loop.
 */
final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  static final String USER_AGENT = "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)";

  private final HttpClient http;
  private final SipCall call;
  private final URI url;
  private final WebhookSigner signer;
  private final SipSettings settings;
  private final byte[] body;
  private int attempts;

  WebhookDelivery(
      HttpClient http, SipCall call, URI url, WebhookSecret secret, SipSettings settings) {
    this.http = http;
    this.call = call;
    this.url = url;
    this.signer = new WebhookSigner(secret);
    this.settings = settings;
    this.body = call.incomingEvent().toJson().getBytes(StandardCharsets.UTF_8);
  }

  /** Starts delivering (on the call's loop). */
  void start() {
    attempt(call.webhookId(), true);
  }

  private void attempt(String webhookId, boolean retried) {
    attempts++;
    long now = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(settings.webhookTimeout())
            .header("user-agent", USER_AGENT)
            .header("content-type", "application/json")
            .header(WebhookVerifier.ID_HEADER, webhookId)
            .header(WebhookVerifier.TIMESTAMP_HEADER, Long.toString(now))
            .header(WebhookVerifier.SIGNATURE_HEADER, signer.sign(webhookId, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              int status = error == null ? response.statusCode() : 0;
              call.loop().execute(() -> answered(webhookId, status, retried, error));
            });
  }

  private void answered(String webhookId, int status, boolean retried, Throwable error) {
    call.delivered(status);
    if (status / 100 == 2) {
      LOG.debug("{}: webhook {} delivered (HTTP {})", call.callId(), webhookId, status);
      if (retried && call.request().duplicate() != SipCallRequest.Duplicate.NONE) {
        String id =
            call.request().duplicate() == SipCallRequest.Duplicate.SAME_WEBHOOK_ID
                ? webhookId
                : Ids.next("wh_");
        attempt(id, false);
      }
      return;
    }
    String outcome = error == null ? "HTTP " + status : "no answer (" + error + ")";
    if (!retried) {
      LOG.debug("{}: duplicate webhook {} got {}", call.callId(), webhookId, outcome);
      return;
    }
    if (call.state() != SipCallState.RINGING || attempts >= settings.maxDeliveries()) {
      LOG.info(
          "{}: webhook {} got {}; giving up after {} attempts (call {})",
          call.callId(),
          webhookId,
          outcome,
          attempts,
          call.state());
      return;
    }
    long delayMs = settings.retryInitial().toMillis() << Math.min(20, attempts - 1);
    LOG.info(
        "{}: webhook {} got {}; retrying in {} ms", call.callId(), webhookId, outcome, delayMs);
    call.loop()
        .schedule(
            () -> {
              if (call.state() == SipCallState.RINGING) {
                attempt(webhookId, true);
              }
            },
            delayMs,
            TimeUnit.MILLISECONDS);
  }
}
