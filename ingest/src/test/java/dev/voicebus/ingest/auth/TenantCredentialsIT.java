package dev.voicebus.ingest.auth;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.Bystander;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.Meters;
import dev.voicebus.ingest.support.PlainStreamClient;
import dev.voicebus.ingest.support.ReadinessWatch;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.Tone;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants come from credentials: bearer tokens from {@code ingest.tokens-file} and Twilio accounts
 * from {@code ingest.twilio.accounts-file}. A tenant or profile the credential does not grant, a
 * tenant over its call cap and a stream from another Twilio account are refused with a reason,
 * while the tenant's other calls, other tenants and a bystander call carry on.
 */
@ExtendWith(KafkaClusterExtension.class)
class TenantCredentialsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACME = "acme-token-0123456789";
  private static final String GLOBEX = "globex-token-0123456789";
  private static final String INITECH_TWILIO = "initech-twilio-auth-token";
  private static final String FOREIGN_TWILIO = "foreign-twilio-auth-token";

  private final HttpClient http = HttpClient.newHttpClient();

  private static IngestHarness harness(KafkaCluster cluster, Path dir, Map<String, String> extra)
      throws Exception {
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(
        tokens,
        """
        {"tokens": [
          {"token": "%s", "tenant": "acme", "profiles": ["support", "sales"], "maxConcurrentCalls": 2},
          {"token": "%s", "tenant": "globex", "profiles": ["*"]}
        ]}
        """
            .formatted(ACME, GLOBEX));
    Path accounts = dir.resolve("accounts.json");
    Files.writeString(
        accounts,
        """
        {"accounts": [
          {"accountSid": "ACsimulated", "authToken": "%s", "tenant": "initech", "profiles": ["support"]},
          {"accountSid": "ACforeign", "authToken": "%s", "tenant": "globex", "profiles": ["*"]}
        ]}
        """
            .formatted(INITECH_TWILIO, FOREIGN_TWILIO));
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("ingest.tokens-file", tokens.toString());
    settings.put("ingest.twilio.accounts-file", accounts.toString());
    return new IngestHarness(cluster, settings);
  }

  /** Opens a plain stream with {@code token} and sends {@code start}; returns the client. */
  private static PlainStreamClient stream(IngestHarness harness, String token, String start)
      throws Exception {
    var client = PlainStreamClient.connect(harness.streamUri(), token);
    client.text(start);
    return client;
  }

  private static String startedCallId(PlainStreamClient client) throws Exception {
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.texts().isEmpty());
    var started = JSON.readTree(client.texts().get(0));
    assertThat(started.path("type").asText()).isEqualTo("started");
    return started.path("callId").asText();
  }

  private static CallStarted startedEvent(IngestHarness harness, String callId) {
    var control = harness.control(r -> !eventsOf(r, callId).isEmpty());
    return (CallStarted) eventsOf(control, callId).get(0);
  }

  private static void stopNormally(PlainStreamClient client) throws Exception {
    client.binary(Tone.muLaw(400, 200));
    client.text("{\"type\":\"stop\"}");
    assertThat(client.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
  }

  @Test
  void aTokenGivesItsTenantAndIsRefusedAnyOtherTenantOrProfile(
      KafkaCluster cluster, @TempDir Path dir) throws Exception {
    try (var harness = harness(cluster, dir, Map.of());
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));

      var own = stream(harness, ACME, "{\"type\":\"start\",\"codec\":\"pcmu\"}");
      CallStarted started = startedEvent(harness, startedCallId(own));
      assertThat(started.getTenantId()).isEqualTo("acme");
      assertThat(started.getAgentProfile()).isEqualTo("support");

      var otherTenant =
          stream(harness, ACME, "{\"type\":\"start\",\"codec\":\"pcmu\",\"tenantId\":\"globex\"}");
      assertThat(otherTenant.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new PlainStreamClient.Closed(
                  1008, "tenantId 'globex' is not allowed: this credential is for tenant acme"));
      var otherProfile =
          stream(
              harness,
              ACME,
              "{\"type\":\"start\",\"codec\":\"pcmu\",\"agentProfile\":\"billing\"}");
      assertThat(otherProfile.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new PlainStreamClient.Closed(
                  1008, "agentProfile 'billing' is not allowed for tenant acme"));
      var upload =
          http.send(
              HttpRequest.newBuilder(harness.uploadUri("codec=pcmu&tenantId=globex"))
                  .header("Authorization", "Bearer " + ACME)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1600]))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).isEqualTo(403);
      assertThat(upload.body())
          .contains("tenantId 'globex' is not allowed: this credential is for tenant acme");

      stopNormally(own);
      assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "entitlement"))
          .isEqualTo(3);
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void capsATenantsConcurrentCallsWithoutTouchingItsLiveCallsOrOtherTenants(
      KafkaCluster cluster, @TempDir Path dir) throws Exception {
    try (var harness = harness(cluster, dir, Map.of());
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      String start = "{\"type\":\"start\",\"codec\":\"pcmu\"}";
      var first = stream(harness, ACME, start);
      var second = stream(harness, ACME, start);
      startedCallId(first);
      startedCallId(second);

      var third = stream(harness, ACME, start);
      assertThat(third.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new PlainStreamClient.Closed(
                  1008, "tenant acme has its maximum of 2 concurrent calls"));
      var upload =
          http.send(
              HttpRequest.newBuilder(harness.uploadUri("codec=pcmu"))
                  .header("Authorization", "Bearer " + ACME)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1600]))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).isEqualTo(429);
      assertThat(upload.body()).contains("tenant acme has its maximum of 2 concurrent calls");

      var globex = stream(harness, GLOBEX, start);
      assertThat(startedEvent(harness, startedCallId(globex)).getTenantId()).isEqualTo("globex");

      stopNormally(first);
      await().atMost(Duration.ofSeconds(5)).until(() -> harness.service().activeCalls() == 3);
      var again = stream(harness, ACME, start);
      startedCallId(again);

      stopNormally(second);
      stopNormally(again);
      stopNormally(globex);
      assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "tenant-limit"))
          .isEqualTo(2);
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void refusesAStreamFromAnotherTwilioAccountAndGivesEachAccountItsTenant(
      KafkaCluster cluster, @TempDir Path dir) throws Exception {
    try (var harness = harness(cluster, dir, Map.of());
        var ready = new ReadinessWatch(harness.adminUri("/readyz"));
        var initech = simulator(harness, INITECH_TWILIO);
        var foreign = simulator(harness, FOREIGN_TWILIO);
        var unknown = simulator(harness, "not-a-configured-auth-token")) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));

      // Signed with ACforeign's token, but its start names ACsimulated.
      SimulatedCall spoofed = foreign.call(Map.of()).get(10, TimeUnit.SECONDS);
      assertThat(spoofed.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new CloseStatus(
                  1008,
                  "start.accountSid 'ACsimulated' is not the account this stream was signed for",
                  101));
      assertThatThrownBy(() -> unknown.call(Map.of()).get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(
              io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException.class);

      SimulatedCall wrongTenant =
          initech.call(Map.of("tenantId", "acme")).get(10, TimeUnit.SECONDS);
      assertThat(wrongTenant.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new CloseStatus(
                  1008,
                  "tenantId 'acme' is not allowed: this credential is for tenant initech",
                  101));

      SimulatedCall own = initech.call(Map.of()).get(10, TimeUnit.SECONDS);
      own.streamAudio(Tone.muLaw(300, 400), Pacing.REAL_TIME).get(10, TimeUnit.SECONDS);
      own.sendStop();
      assertThat(own.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      var control =
          harness.control(
              r ->
                  startedWithExternalId(r, own.callSid())
                      .map(s -> ended(r, s.getCallId()))
                      .orElse(false));
      CallStarted started = startedWithExternalId(control, own.callSid()).orElseThrow();
      assertThat(started.getTenantId()).isEqualTo("initech");
      assertThat(started.getAgentProfile()).isEqualTo("support");

      assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "foreign-account"))
          .isEqualTo(1);
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void pinsTheSingleAuthTokenToItsAccountSid(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.twilio.account-sid", "ACother"))) {
      SimulatedCall call = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      assertThat(call.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              new CloseStatus(
                  1008,
                  "start.accountSid 'ACsimulated' is not the account this stream was signed for",
                  101));
      assertThat(harness.service().activeCalls()).isZero();
    }
  }

  private static TwilioCallSimulator simulator(IngestHarness harness, String authToken) {
    return new TwilioCallSimulator(SimulatorOptions.of(harness.twilioUri(), authToken), 1);
  }
}
