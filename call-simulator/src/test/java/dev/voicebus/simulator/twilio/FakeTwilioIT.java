package dev.voicebus.simulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Twilio REST API over a real socket checks what Twilio checks. */
class FakeTwilioIT {

  private static final String SID = "ACfake";
  private static final String TOKEN = "fake-auth-token";

  private final HttpClient http = HttpClient.newHttpClient();
  private TwilioCallSimulator simulator;
  private FakeTwilio twilio;

  @BeforeEach
  void start() throws Exception {
    simulator =
        new TwilioCallSimulator(
            SimulatorOptions.of(URI.create("ws://127.0.0.1:1/unused"), TOKEN), 1);
    twilio = FakeTwilio.start(Map.of(SID, TOKEN), simulator);
  }

  @AfterEach
  void stop() {
    twilio.close();
    simulator.close();
  }

  private HttpResponse<String> post(
      String path, String user, String password, String type, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(twilio.baseUrl() + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String CALLS = "/2010-04-01/Accounts/" + SID + "/Calls.json";
  private static final String TWIML =
      "Twiml=%3CResponse%3E%3CConnect%3E%3CStream+url%3D%22ws%3A%2F%2F127.0.0.1%3A1%2Fx%22%2F%3E"
          + "%3C%2FConnect%3E%3C%2FResponse%3E";

  @Test
  void refusesAnUnknownAccountWrongCredentialsAndABodyThatIsNotAForm() throws Exception {
    var unknown = post("/2010-04-01/Accounts/ACother/Calls.json", "ACother", TOKEN, FORM, "");
    var wrongToken = post(CALLS, SID, "guess", FORM, "To=%2B15551230000");
    var otherUser = post(CALLS, "ACother", TOKEN, FORM, "To=%2B15551230000");
    var json = post(CALLS, SID, TOKEN, "application/json", "{}");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":20404");
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(wrongToken.body()).contains("\"code\":20003");
    assertThat(otherUser.statusCode()).isEqualTo(401);
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(twilio.calls().placed()).isEmpty();
  }

  @Test
  void placesACallWithValidNumbersAndTwiml() throws Exception {
    var placed =
        post(
            CALLS,
            SID,
            TOKEN,
            FORM,
            "To=%2B15551230000&From=%2B15559870000&MachineDetection=Enable&" + TWIML);
    var badTo = post(CALLS, SID, TOKEN, FORM, "To=555&From=%2B15559870000&" + TWIML);
    var badTwiml =
        post(CALLS, SID, TOKEN, FORM, "To=%2B15551230000&From=%2B15559870000&Twiml=%3CResponse%3E");

    assertThat(placed.statusCode()).isEqualTo(201);
    assertThat(placed.body()).contains("\"sid\":\"CA").contains("\"status\":\"queued\"");
    assertThat(twilio.calls().placed())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.to()).isEqualTo("+15551230000");
              assertThat(p.machineDetection()).contains("Enable");
              assertThat(p.twiml().stream()).isPresent();
            });
    assertThat(badTo.statusCode()).isEqualTo(400);
    assertThat(badTo.body()).contains("\"code\":21211");
    assertThat(badTwiml.statusCode()).isEqualTo(400);
    assertThat(badTwiml.body()).contains("\"code\":12100");
  }

  @Test
  void failsTheNextRequestAsToldAndRecordsEveryRequest() throws Exception {
    twilio.failNext(new FakeTwilio.Failure(400, 21211, "The 'To' number is not valid."));

    var failed = post(CALLS, SID, TOKEN, FORM, "To=%2B15551230000&From=%2B15559870000&" + TWIML);
    var unknownCall =
        post(
            "/2010-04-01/Accounts/" + SID + "/Calls/CA123.json",
            SID,
            TOKEN,
            FORM,
            "Status=completed");

    assertThat(failed.statusCode()).isEqualTo(400);
    assertThat(failed.body()).contains("\"message\":\"The 'To' number is not valid.\"");
    assertThat(unknownCall.statusCode()).isEqualTo(404);
    assertThat(twilio.requests()).extracting(FakeTwilio.Request::status).containsExactly(400, 404);
    assertThat(twilio.requests().get(1).callSid()).contains("CA123");
    assertThat(twilio.requests().get(1).form()).containsEntry("Status", "completed");
  }
}
