package dev.voicebus.realtime.sandbox.sip;

import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeCalls;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.webhook.WebhookSecret;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A sandbox whose SIP webhooks go to a local {@link WebhookReceiver} (fast audio, quick retries),
 * the project's calls API client pointed at it, and helpers to ring, accept and attach.
 */
public final class SipFixture implements AutoCloseable {
  private final WebhookSecret secret = WebhookSecret.generate();
  private final WebhookReceiver receiver;
  private final SandboxFixture fixture;
  private final RealtimeCalls calls;

  private SipFixture(SipSettings tuning) throws Exception {
    receiver = new WebhookReceiver(secret);
    SandboxConfig config =
        SandboxFixture.fast().withSip(tuning.withWebhook(receiver.url(), secret));
    fixture = SandboxFixture.start(config);
    calls =
        new RealtimeCalls(
            RealtimeClientConfig.defaults(ApiKey.of("sk-sandbox-test"))
                .withBaseUri(fixture.sandbox().baseUri()));
  }

  /** Retries after 50 ms (doubling, 4 attempts), 2 s per attempt, a patient caller. */
  public static SipFixture start() throws Exception {
    return start(
        SipSettings.DEFAULTS
            .withDelivery(Duration.ofSeconds(2), Duration.ofMillis(50), 4)
            .withCaller(Duration.ofSeconds(5), Duration.ofSeconds(20)));
  }

  public static SipFixture start(SipSettings tuning) throws Exception {
    return new SipFixture(tuning);
  }

  public SipEmulator sip() {
    return fixture.sandbox().sip();
  }

  public SandboxFixture sandbox() {
    return fixture;
  }

  public WebhookReceiver receiver() {
    return receiver;
  }

  public WebhookSecret secret() {
    return secret;
  }

  public RealtimeCalls calls() {
    return calls;
  }

  /** Places a call and waits until its webhook was delivered; returns its call id. */
  public String ring(SipCallRequest request) {
    String callId = sip().placeCall(request).callId();
    await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.deliveriesOf(callId).isEmpty());
    return callId;
  }

  /** Rings and accepts a call with {@code session}; returns its call id. */
  public String answered(SipCallRequest request, SessionConfig session) throws Exception {
    String callId = ring(request);
    calls.accept(callId, session).get(10, TimeUnit.SECONDS);
    return callId;
  }

  public ClientSession attach(String callId) throws Exception {
    return ClientSession.attach(fixture.client(), callId);
  }

  public SipCallView view(String callId) {
    return sip().call(callId).orElseThrow();
  }

  @Override
  public void close() {
    fixture.close();
    receiver.close();
  }
}
