package dev.voicebus.ingest.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.CallRecords;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.sip.SipCallRequest;
import dev.voicebus.realtime.sandbox.sip.SipCallState;
import dev.voicebus.realtime.sandbox.sip.SipCallView;
import dev.voicebus.realtime.sandbox.sip.SipEndReason;
import dev.voicebus.realtime.sandbox.sip.SipSettings;
import dev.voicebus.realtime.webhook.WebhookSecret;
import dev.voicebus.realtime.webhook.WebhookSigner;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenAI's project webhook on a node, with the sandbox playing OpenAI (it signs and delivers {@code
 * realtime.call.incoming} and serves the calls API) and the embedded broker: routed calls become
 * {@code CallStarted{SIP}} (the node never accepts them itself), unroutable or over-capacity calls
 * are rejected through the calls API, duplicates are dropped, and forged or stale requests are
 * refused.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiWebhookIT {

  private static final String ACME_LINE = "+15550100000";
  private static final String GLOBEX_LINE = "+15550200000";
  private static final String CALLER = "+15550100001";

  private final WebhookSecret secret = WebhookSecret.generate();
  private final HttpClient http = HttpClient.newHttpClient();
  private RealtimeSandbox sandbox;
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) throws Exception {
    sandbox =
        RealtimeSandbox.start(
            SandboxConfig.defaults()
                .withSip(
                    SipSettings.DEFAULTS.withDelivery(
                        Duration.ofSeconds(5), Duration.ofMillis(100), 3)));
    Path tokens = Files.createTempFile("sip-tokens", ".json");
    Files.writeString(
        tokens,
        "{\"tokens\":[{\"token\":\"acme-token-0123456789\",\"tenant\":\"acme\","
            + "\"profiles\":[\"*\"],\"maxConcurrentCalls\":1}]}");
    harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.tokens-file", tokens.toString(),
                "ingest.openai.webhook-secret", secret.reveal(),
                "ingest.openai.api-key", "sk-ingest-sip-test",
                "ingest.openai.api-url", sandbox.httpBaseUri().toString(),
                "ingest.sip.routes",
                    ACME_LINE
                        + "=acme/support\n"
                        + GLOBEX_LINE
                        + "=globex/sales\n"
                        + GLOBEX_LINE
                        + " from +44=globex/uk-sales"));
    sandbox.sip().deliverWebhooksTo(harness.httpUri("/openai/webhook"), secret);
  }

  @AfterAll
  void stop() {
    harness.close();
    sandbox.close();
  }

  @Test
  void aRoutedCallIsPublishedAsASipCallAndLeftRingingForTheWorker() {
    SipCallView call = sandbox.sip().placeCall(SipCallRequest.of(CALLER, GLOBEX_LINE));

    CallStarted started = started(call.callId());

    assertThat(started.getSource()).isEqualTo(CallSource.SIP);
    assertThat(started.getCallId()).isEqualTo(SipCallIds.of(call.callId()));
    assertThat(started.getTenantId()).isEqualTo("globex");
    assertThat(started.getAgentProfile()).isEqualTo("sales");
    assertThat(started.getCallerMetadata())
        .containsEntry("sip.from", "sip:" + CALLER + "@sip.example.com")
        .containsEntry("sip.to", "sip:" + GLOBEX_LINE + "@sip.example.com")
        .containsEntry("sip.from_user", CALLER)
        .containsEntry("sip.to_user", GLOBEX_LINE)
        .containsKey("sip.call_id");
    assertThat(started.getReplyRoute().getPartition()).isZero();
    await().until(() -> view(call.callId()).deliveries().equals(List.of(200)));
    assertThat(view(call.callId()).state()).isEqualTo(SipCallState.RINGING);
  }

  @Test
  void theMostSpecificRouteWinsByCallerPrefix() {
    SipCallView call = sandbox.sip().placeCall(SipCallRequest.of("+447700900123", GLOBEX_LINE));

    assertThat(started(call.callId()).getAgentProfile()).isEqualTo("uk-sales");
  }

  @Test
  void aCallWithoutARouteIsRejectedNotFoundAndCounted() {
    SipCallView call = sandbox.sip().placeCall(SipCallRequest.of(CALLER, "+15559999999"));

    await().until(() -> view(call.callId()).state() == SipCallState.ENDED);

    assertThat(view(call.callId()).endReason()).isEqualTo(SipEndReason.REJECTED);
    assertThat(view(call.callId()).rejectStatus()).isEqualTo(404);
    assertThat(view(call.callId()).deliveries()).containsExactly(200);
    assertThat(
            metric(
                "voicebus_ingest_sip_calls_rejected_total{reason=\"no-route\",service=\"voicebus-ingest\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aTenantAtItsCapGetsBusyUntilItsCallEnds() {
    SipCallView first = sandbox.sip().placeCall(SipCallRequest.of(CALLER, ACME_LINE));
    CallStarted admitted = started(first.callId());
    SipCallView second = sandbox.sip().placeCall(SipCallRequest.of(CALLER, ACME_LINE));
    await().until(() -> view(second.callId()).state() == SipCallState.ENDED);
    assertThat(view(second.callId()).rejectStatus()).isEqualTo(486);
    double held = metric("voicebus_ingest_sip_calls_active{service=\"voicebus-ingest\"}");

    harness.publishControl(
        admitted.getCallId(),
        new CallControl(
            CallEnded.newBuilder()
                .setCallId(admitted.getCallId())
                .setReason(CallEndReason.CALLER_HANGUP)
                .setEndedAt(Instant.now())
                .build()));
    await()
        .until(
            () ->
                metric("voicebus_ingest_sip_calls_active{service=\"voicebus-ingest\"}")
                    == held - 1);
    SipCallView third = sandbox.sip().placeCall(SipCallRequest.of(CALLER, ACME_LINE));

    assertThat(started(third.callId()).getTenantId()).isEqualTo("acme");
    assertThat(view(third.callId()).state()).isEqualTo(SipCallState.RINGING);
  }

  @Test
  void duplicatesBySameWebhookIdOrSameCallIdArePublishedOnce() {
    SipCallView same =
        sandbox
            .sip()
            .placeCall(
                SipCallRequest.of(CALLER, GLOBEX_LINE)
                    .withDuplicate(SipCallRequest.Duplicate.SAME_WEBHOOK_ID));
    SipCallView fresh =
        sandbox
            .sip()
            .placeCall(
                SipCallRequest.of(CALLER, GLOBEX_LINE)
                    .withDuplicate(SipCallRequest.Duplicate.NEW_WEBHOOK_ID));

    await().until(() -> view(same.callId()).deliveries().equals(List.of(200, 200)));
    await().until(() -> view(fresh.callId()).deliveries().equals(List.of(200, 200)));
    var records =
        harness.control(
            r ->
                CallRecords.startedWithExternalId(r, same.callId()).isPresent()
                    && CallRecords.startedWithExternalId(r, fresh.callId()).isPresent());

    for (String callId : List.of(same.callId(), fresh.callId())) {
      long published =
          records.stream()
              .map(r -> r.value().getEvent())
              .filter(e -> e instanceof CallStarted s && callId.equals(s.getExternalCallId()))
              .count();
      assertThat(published).as(callId).isEqualTo(1);
    }
  }

  @Test
  void refusesMissingHeadersForgedSignaturesAndStaleTimestamps() throws Exception {
    byte[] body =
        ("{\"object\":\"event\",\"id\":\"evt_x\",\"type\":\"realtime.call.incoming\","
                + "\"created_at\":1,\"data\":{\"call_id\":\"rtc_forged\",\"sip_headers\":[]}}")
            .getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    WebhookSigner forger = new WebhookSigner(WebhookSecret.generate());
    WebhookSigner signer = new WebhookSigner(secret);

    HttpResponse<String> unsigned = post(body, Map.of());
    HttpResponse<String> forged = post(body, headers("wh_1", now, forger.sign("wh_1", now, body)));
    HttpResponse<String> stale =
        post(body, headers("wh_2", now - 400, signer.sign("wh_2", now - 400, body)));

    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("webhook-id");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("no webhook-signature entry");
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("before now");
    assertThat(forged.body() + stale.body()).doesNotContain(secret.reveal());
  }

  @Test
  void acknowledgesOtherEventTypesWithoutActing() throws Exception {
    byte[] body =
        ("{\"object\":\"event\",\"id\":\"evt_y\",\"type\":\"response.completed\","
                + "\"created_at\":1,\"data\":{\"id\":\"resp_1\"}}")
            .getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> answer =
        post(body, headers("wh_3", now, new WebhookSigner(secret).sign("wh_3", now, body)));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("ignored").contains("response.completed");
  }

  @Test
  void aNodeWithoutTheSecretHasNoWebhook(KafkaCluster cluster) throws Exception {
    try (IngestHarness plain = new IngestHarness(cluster, Map.of())) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(plain.httpUri("/openai/webhook"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(answer.body()).contains("ingest.openai.webhook-secret");
    }
  }

  private CallStarted started(String openAiCallId) {
    return CallRecords.startedWithExternalId(
            harness.control(r -> CallRecords.startedWithExternalId(r, openAiCallId).isPresent()),
            openAiCallId)
        .orElseThrow(() -> new AssertionError("no CallStarted for " + openAiCallId));
  }

  private SipCallView view(String callId) {
    return sandbox.sip().call(callId).orElseThrow();
  }

  private double metric(String series) {
    String text = harness.service().metrics().scrape();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static Map<String, String> headers(String id, long timestamp, String signature) {
    return Map.of(
        "webhook-id", id,
        "webhook-timestamp", Long.toString(timestamp),
        "webhook-signature", signature);
  }

  private HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(harness.httpUri("/openai/webhook"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
