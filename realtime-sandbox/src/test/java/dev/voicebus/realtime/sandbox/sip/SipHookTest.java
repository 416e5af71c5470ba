package dev.voicebus.realtime.sandbox.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development hook {@code /sandbox/sip/calls} and the SIP settings read from the environment.
 */
class SipHookTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void placesACallThroughTheHookAndShowsItsState() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      HttpResponse<String> placed =
          send(
              f,
              HttpRequest.newBuilder(hook(f))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"from\":\"+15550100001\",\"to\":\"+15550100000\","
                              + "\"scenario\":\"pin\",\"duplicate\":\"new_webhook_id\"}")));

      assertThat(placed.statusCode()).isEqualTo(201);
      JsonNode answer = JSON.readTree(placed.body());
      String callId = answer.path("call_id").asText();
      assertThat(callId).startsWith("rtc_");
      assertThat(answer.path("state").asText()).isEqualTo("ringing");
      assertThat(answer.path("webhook_url").asText()).isEqualTo(f.receiver().url().toString());
      await().until(() -> f.receiver().deliveriesOf(callId).size() == 2);

      JsonNode view =
          JSON.readTree(
              send(f, HttpRequest.newBuilder(URI.create(hook(f) + "/" + callId)).GET()).body());
      assertThat(view.path("from").asText()).isEqualTo("+15550100001");
      assertThat(view.path("scenario").asText()).isEqualTo("pin");
      assertThat(view.path("webhook_deliveries")).hasSize(2);
    }
  }

  @Test
  void refusesABadRequestWithTheReason() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      HttpResponse<String> noTo =
          send(
              f,
              HttpRequest.newBuilder(hook(f))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"+15550100001\"}")));
      HttpResponse<String> unknownScenario =
          send(
              f,
              HttpRequest.newBuilder(hook(f))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"from\":\"+1555\",\"to\":\"+1666\",\"scenario\":\"nope\"}")));
      HttpResponse<String> unknownCall =
          send(f, HttpRequest.newBuilder(URI.create(hook(f) + "/rtc_nope")).GET());

      assertThat(noTo.statusCode()).isEqualTo(400);
      assertThat(noTo.body()).contains("'to'");
      assertThat(unknownScenario.statusCode()).isEqualTo(400);
      assertThat(unknownScenario.body()).contains("nope");
      assertThat(unknownCall.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void readsTheSipSettingsFromTheEnvironment(@TempDir Path dir) throws Exception {
    String secret = dev.voicebus.realtime.webhook.WebhookSecret.generate().reveal();
    Path secretFile = dir.resolve("secret");
    Files.writeString(secretFile, secret + "\n");

    SipSettings sip =
        SandboxConfig.fromEnv(
                Map.of(
                    "SANDBOX_SIP_WEBHOOK_URL", "http://ingest:8080/openai/webhook",
                    "SANDBOX_SIP_WEBHOOK_SECRET_FILE", secretFile.toString(),
                    "SANDBOX_SIP_RING_TIMEOUT_SECONDS", "45"))
            .sip();

    assertThat(sip.webhookUrl()).isEqualTo(URI.create("http://ingest:8080/openai/webhook"));
    assertThat(sip.webhookSecret().reveal()).isEqualTo(secret);
    assertThat(sip.ringTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(
            () -> SandboxConfig.fromEnv(Map.of("SANDBOX_SIP_WEBHOOK_SECRET", "not-a-secret")))
        .hasMessageContaining("SANDBOX_SIP_WEBHOOK_SECRET")
        .hasMessageNotContaining("not-a-secret");
    assertThatThrownBy(
            () -> SandboxConfig.fromEnv(Map.of("SANDBOX_SIP_WEBHOOK_URL", "ftp://ingest/hook")))
        .hasMessageContaining("http");
  }

  private static URI hook(SipFixture f) {
    return f.sandbox().sandbox().httpBaseUri().resolve("/sandbox/sip/calls");
  }

  private static HttpResponse<String> send(SipFixture f, HttpRequest.Builder request)
      throws Exception {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
