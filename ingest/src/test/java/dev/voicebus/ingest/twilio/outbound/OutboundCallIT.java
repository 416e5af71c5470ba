package dev.voicebus.ingest.twilio.outbound;

import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.FakeTwilio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/calls/outbound} against the fake Twilio: the call is placed with TwiML that
 * connects its answered leg to this node with a stream token, and runs under the call id the
 * request was answered with; refusals (Twilio's, entitlement, bad input) are clear 4xx/5xx.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundCallIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = SimulatedCall.ACCOUNT_SID;
  private static final String SUPPORT_ONLY = "support-only-token-0123456789";
  private static final String GLOBEX = "globex-token-0123456789abcdef";

  private final HttpClient http = HttpClient.newHttpClient();
  private TwilioCallSimulator twilioSide;
  private FakeTwilio twilio;
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) throws Exception {
    twilioSide =
        new TwilioCallSimulator(
            SimulatorOptions.of(URI.create("ws://127.0.0.1:1/unused"), IngestHarness.TWILIO_TOKEN),
            1);
    twilio = FakeTwilio.start(Map.of(ACCOUNT, IngestHarness.TWILIO_TOKEN), twilioSide);
    Path tokens = Files.createTempFile("outbound-tokens", ".json");
    Files.writeString(
        tokens,
        "{\"tokens\":[{\"token\":\""
            + SUPPORT_ONLY
            + "\",\"tenant\":\"default\",\"profiles\":[\"support\"]},"
            + "{\"token\":\""
            + GLOBEX
            + "\",\"tenant\":\"globex\",\"profiles\":[\"*\"]}]}");
    harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.twilio.account-sid", ACCOUNT,
                "ingest.twilio.api-base-url", twilio.baseUrl().toString(),
                "ingest.tokens-file", tokens.toString()));
  }

  @AfterAll
  void stop() {
    harness.close();
    twilio.close();
    twilioSide.close();
  }

  private HttpResponse<String> place(String bearer, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(harness.httpUri("/v1/calls/outbound"))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void placesTheCallAndRunsItsAnsweredStreamUnderTheCallIdItGave() throws Exception {
    var response =
        place(
            IngestHarness.API_TOKEN,
            "{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"agentProfile\":\"sales\","
                + "\"metadata\":{\"campaign\":\"renewals\"},\"machineDetection\":\"Enable\"}");

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode answer = JSON.readTree(response.body());
    String callId = answer.get("callId").asText();
    String callSid = answer.get("callSid").asText();
    assertThat(callSid).startsWith("CA");
    assertThat(answer.get("agentProfile").asText()).isEqualTo("sales");
    var placed =
        twilio.calls().placed().stream()
            .filter(p -> p.callSid().equals(callSid))
            .findFirst()
            .orElseThrow();
    assertThat(placed.to()).isEqualTo("+15551230000");
    assertThat(placed.from()).isEqualTo("+15559870000");
    assertThat(placed.machineDetection()).contains("Enable");
    assertThat(placed.twiml().stream().orElseThrow().url())
        .startsWith("ws://127.0.0.1:" + harness.service().port() + "/twilio/media?token=");

    SimulatedCall answered = twilio.calls().answered(callSid).get(10, TimeUnit.SECONDS);
    var control = harness.control(r -> startedWithExternalId(r, callSid).isPresent());
    CallStarted started = startedWithExternalId(control, callSid).orElseThrow();
    assertThat(started.getCallId()).isEqualTo(callId);
    assertThat(started.getAgentProfile()).isEqualTo("sales");
    assertThat(started.getTenantId()).isEqualTo("default");
    assertThat(started.getCallerMetadata())
        .containsEntry("campaign", "renewals")
        .containsEntry("twilio.direction", "outbound")
        .containsEntry("twilio.to", "+15551230000");
    answered.sendStop();
  }

  @Test
  void aCallTwilioRefusesIsUnprocessableWithTwiliosReasonAndCode() throws Exception {
    twilio.failNext(new FakeTwilio.Failure(400, 21219, "The number +15551230000 is unverified."));

    var response =
        place(IngestHarness.API_TOKEN, "{\"to\":\"+15551230000\",\"from\":\"+15559870000\"}");

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("error").asText())
        .isEqualTo(
            "Twilio refused the call: Twilio answered HTTP 400 (code 21219): The number"
                + " +15551230000 is unverified.");
    assertThat(error.get("twilioCode").asInt()).isEqualTo(21219);
  }

  @Test
  void twilioFailingIsABadGateway() throws Exception {
    twilio.failNext(new FakeTwilio.Failure(503, 20503, "Service unavailable"));

    var response =
        place(IngestHarness.API_TOKEN, "{\"to\":\"+15551230000\",\"from\":\"+15559870000\"}");

    assertThat(response.statusCode()).isEqualTo(502);
  }

  @Test
  void refusesWhatTheTokenIsNotEntitledToAndBadRequestsBeforeAskingTwilio() throws Exception {
    int before = twilio.requests().size();

    var profile =
        place(
            SUPPORT_ONLY,
            "{\"to\":\"+15551230000\",\"from\":\"+15559870000\",\"agentProfile\":\"sales\"}");
    var noAccount = place(GLOBEX, "{\"to\":\"+15551230000\",\"from\":\"+15559870000\"}");
    var badNumber =
        place(IngestHarness.API_TOKEN, "{\"to\":\"555-1230\",\"from\":\"+15559870000\"}");
    var unknownToken = place("not-a-token-of-this-node", "{}");

    assertThat(profile.statusCode()).isEqualTo(403);
    assertThat(profile.body()).contains("agentProfile 'sales' is not allowed for tenant default");
    assertThat(noAccount.statusCode()).isEqualTo(403);
    assertThat(noAccount.body()).contains("tenant globex has no Twilio account");
    assertThat(badNumber.statusCode()).isEqualTo(400);
    assertThat(badNumber.body()).contains("to '555-1230' is neither an E.164 number");
    assertThat(unknownToken.statusCode()).isEqualTo(403);
    assertThat(twilio.requests()).hasSize(before);
  }
}
