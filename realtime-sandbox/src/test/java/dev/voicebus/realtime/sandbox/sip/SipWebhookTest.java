package dev.voicebus.realtime.sandbox.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.webhook.WebhookEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code realtime.call.incoming} webhook as the sandbox delivers it, over real HTTP. */
class SipWebhookTest {

  @Test
  void deliversASignedIncomingCallShapedAsOpenAiSendsIt() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      SipCallView placed =
          f.sip()
              .placeCall(
                  new SipCallRequest(
                      "+15550100001",
                      "+15550100000",
                      null,
                      SipCallRequest.Duplicate.NONE,
                      Map.of("X-Customer", "42")));

      await().until(() -> !f.receiver().deliveries().isEmpty());
      WebhookReceiver.Delivery delivery = f.receiver().deliveries().get(0);

      assertThat(f.receiver().refusals()).isEmpty();
      assertThat(placed.state()).isEqualTo(SipCallState.RINGING);
      assertThat(placed.callId()).startsWith("rtc_");
      assertThat(delivery.webhookId()).isEqualTo(placed.webhookId()).startsWith("wh_");
      assertThat(delivery.headers())
          .containsEntry("user-agent", "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)")
          .containsEntry("content-type", "application/json");
      assertThat(delivery.headers().get("webhook-signature")).startsWith("v1,");
      assertThat(Math.abs(delivery.timestamp() - Instant.now().getEpochSecond())).isLessThan(60);
      WebhookEvent.CallIncoming event = delivery.event();
      assertThat(event.id()).startsWith("evt_");
      assertThat(event.callId()).isEqualTo(placed.callId());
      assertThat(event.header("From")).hasValue("sip:+15550100001@sip.example.com");
      assertThat(event.header("To")).hasValue("sip:+15550100000@sip.example.com");
      assertThat(event.header("Call-ID")).isPresent();
      assertThat(event.header("X-Customer")).hasValue("42");
      await().until(() -> f.view(placed.callId()).deliveries().equals(List.of(200)));
    }
  }

  @Test
  void retriesAFailedDeliveryWithTheSameIdAndABackoff() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      f.receiver().answerWith(500, 503);

      String callId = f.sip().placeCall(SipCallRequest.of("+15550100001", "+15550100000")).callId();

      await().until(() -> f.view(callId).deliveries().size() == 3);
      assertThat(f.view(callId).deliveries()).containsExactly(500, 503, 200);
      List<WebhookReceiver.Delivery> got = f.receiver().deliveriesOf(callId);
      assertThat(got)
          .extracting(WebhookReceiver.Delivery::webhookId)
          .containsOnly(got.get(0).webhookId());
      assertThat(f.receiver().refusals()).isEmpty();
    }
  }

  @Test
  void givesUpAfterTheLastAttemptAndTheUnansweredCallEnds() throws Exception {
    SipSettings tuning =
        SipSettings.DEFAULTS
            .withDelivery(Duration.ofSeconds(2), Duration.ofMillis(20), 3)
            .withRingTimeout(Duration.ofSeconds(1));
    try (SipFixture f = SipFixture.start(tuning)) {
      f.receiver().answerWith(500, 500, 500, 500, 500);

      String callId = f.sip().placeCall(SipCallRequest.of("+15550100001", "+15550100000")).callId();

      await().until(() -> f.view(callId).state() == SipCallState.ENDED);
      assertThat(f.view(callId).endReason()).isEqualTo(SipEndReason.UNANSWERED);
      assertThat(f.view(callId).deliveries()).containsExactly(500, 500, 500);
    }
  }

  @Test
  void playsADuplicateDeliveryWithTheSameOrANewWebhookId() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String same =
          f.sip()
              .placeCall(
                  SipCallRequest.of("+15550100001", "+15550100000")
                      .withDuplicate(SipCallRequest.Duplicate.SAME_WEBHOOK_ID))
              .callId();
      String fresh =
          f.sip()
              .placeCall(
                  SipCallRequest.of("+15550100001", "+15550100000")
                      .withDuplicate(SipCallRequest.Duplicate.NEW_WEBHOOK_ID))
              .callId();

      await().until(() -> f.receiver().deliveriesOf(same).size() == 2);
      await().until(() -> f.receiver().deliveriesOf(fresh).size() == 2);
      List<WebhookReceiver.Delivery> sameIds = f.receiver().deliveriesOf(same);
      assertThat(sameIds.get(1).webhookId()).isEqualTo(sameIds.get(0).webhookId());
      assertThat(sameIds.get(1).event()).isEqualTo(sameIds.get(0).event());
      List<WebhookReceiver.Delivery> newIds = f.receiver().deliveriesOf(fresh);
      assertThat(newIds.get(1).webhookId()).isNotEqualTo(newIds.get(0).webhookId());
      assertThat(newIds.get(1).event().callId()).isEqualTo(fresh);
    }
  }

  @Test
  void aCallNeedsAWebhookUrlAndAKnownScenario() throws Exception {
    try (RealtimeSandbox sandbox = RealtimeSandbox.start(SandboxFixture.fast())) {
      assertThatThrownBy(() -> sandbox.sip().placeCall(SipCallRequest.of("+1555", "+1666")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SANDBOX_SIP_WEBHOOK_URL");
    }
    try (SipFixture f = SipFixture.start()) {
      assertThatThrownBy(
              () -> f.sip().placeCall(SipCallRequest.of("+1555", "+1666").withScenario("nope")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope");
      assertThatThrownBy(() -> SipCallRequest.of("555 0100", "+1666"))
          .hasMessageContaining("'from'");
    }
  }
}
