package dev.voicebus.realtime.sandbox.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeCalls;
import dev.voicebus.realtime.client.RealtimeCallsException;
import dev.voicebus.realtime.client.RealtimeCallsException.Kind;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.session.SessionConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulated calls API and each call's state machine (ringing, accepted, ended), through the
 * project's {@link RealtimeCalls} client and raw HTTP over real sockets.
 */
class SipCallsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SessionConfig SESSION =
      SessionConfig.realtime().withInstructions("You are a test line.").build();

  @Test
  void anAcceptedCallCannotBeAcceptedOrRejectedAgain() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));

      f.calls().accept(callId, SESSION).get(10, TimeUnit.SECONDS);

      assertThat(f.view(callId).state()).isEqualTo(SipCallState.ACCEPTED);
      assertThat(f.view(callId).sessionId()).startsWith("sess_");
      RealtimeCallsException again = failure(f.calls().accept(callId, SESSION));
      assertThat(again.kind()).isEqualTo(Kind.ALREADY_ACCEPTED);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.errorCode()).hasValue("call_already_accepted");
      assertThat(failure(f.calls().reject(callId, 486)).kind()).isEqualTo(Kind.ALREADY_ACCEPTED);
    }
  }

  @Test
  void aRingingCallCannotBeReferredOrHungUp() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));

      assertThat(failure(f.calls().refer(callId, "tel:+14155550123")).kind())
          .isEqualTo(Kind.WRONG_STATE);
      RealtimeCallsException hangup = failure(f.calls().hangup(callId));
      assertThat(hangup.kind()).isEqualTo(Kind.WRONG_STATE);
      assertThat(hangup.errorCode()).hasValue("call_not_accepted");
      assertThat(f.view(callId).state()).isEqualTo(SipCallState.RINGING);
    }
  }

  @Test
  void rejectEndsARingingCallWithTheSipStatusAndItIsThenUnknown() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String busy = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));
      String declined = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));

      f.calls().reject(busy, 486).get(10, TimeUnit.SECONDS);
      HttpResponse<String> noBody = post(f, declined, "reject", null);

      assertThat(f.view(busy).state()).isEqualTo(SipCallState.ENDED);
      assertThat(f.view(busy).endReason()).isEqualTo(SipEndReason.REJECTED);
      assertThat(f.view(busy).rejectStatus()).isEqualTo(486);
      assertThat(noBody.statusCode()).isEqualTo(200);
      assertThat(noBody.body()).isEmpty();
      assertThat(f.view(declined).rejectStatus()).isEqualTo(603);
      RealtimeCallsException ended = failure(f.calls().accept(busy, SESSION));
      assertThat(ended.kind()).isEqualTo(Kind.CALL_NOT_FOUND);
      assertThat(ended.errorCode()).hasValue("call_id_not_found");
      assertThat(failure(f.calls().hangup("rtc_unknown")).kind()).isEqualTo(Kind.CALL_NOT_FOUND);
    }
  }

  @Test
  void referAndHangupEndAnAcceptedCallAndAreRecorded() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String transferred = f.answered(SipCallRequest.of("+15550100001", "+15550100000"), SESSION);
      String hungUp = f.answered(SipCallRequest.of("+15550100001", "+15550100000"), SESSION);

      f.calls().refer(transferred, "sip:billing@example.com").get(10, TimeUnit.SECONDS);
      f.calls().hangup(hungUp).get(10, TimeUnit.SECONDS);

      SipCallView referred = f.view(transferred);
      assertThat(referred.state()).isEqualTo(SipCallState.ENDED);
      assertThat(referred.endReason()).isEqualTo(SipEndReason.TRANSFERRED);
      assertThat(referred.referredTo()).isEqualTo("sip:billing@example.com");
      assertThat(referred.hungUp()).isFalse();
      assertThat(f.view(hungUp).endReason()).isEqualTo(SipEndReason.HUNG_UP);
      assertThat(f.view(hungUp).hungUp()).isTrue();
      assertThat(failure(f.calls().hangup(hungUp)).kind()).isEqualTo(Kind.CALL_NOT_FOUND);
    }
  }

  @Test
  void refusesBadBodiesWithOpenAiShapedErrors() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));

      JsonNode noType = error(post(f, callId, "accept", "{\"instructions\":\"hi\"}"), 400);
      JsonNode badFormat =
          error(
              post(
                  f,
                  callId,
                  "accept",
                  "{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/opus\"}}}}"),
              400);
      JsonNode badStatus = error(post(f, callId, "reject", "{\"status_code\":200}"), 400);
      f.calls().accept(callId, SESSION).get(10, TimeUnit.SECONDS);
      JsonNode badTarget =
          error(post(f, callId, "refer", "{\"target_uri\":\"+14155550123\"}"), 400);

      assertThat(noType.path("code").asText()).isEqualTo("missing_required_parameter");
      assertThat(noType.path("param").asText()).isEqualTo("type");
      assertThat(badFormat.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(badFormat.path("param").asText()).startsWith("audio.input.format");
      assertThat(badStatus.path("param").asText()).isEqualTo("status_code");
      assertThat(badTarget.path("param").asText()).isEqualTo("target_uri");
      assertThat(f.view(callId).state()).isEqualTo(SipCallState.ACCEPTED);
    }
  }

  @Test
  void refusesAWrongKeyLikeTheWebSocketDoes() throws Exception {
    try (SipFixture f = SipFixture.start()) {
      String callId = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));
      RealtimeCalls wrongKey =
          new RealtimeCalls(
              RealtimeClientConfig.defaults(ApiKey.of("sk-invalid"))
                  .withBaseUri(f.sandbox().sandbox().baseUri()));

      RealtimeCallsException refused = failure(wrongKey.accept(callId, SESSION));

      assertThat(refused.kind()).isEqualTo(Kind.UNAUTHORIZED);
      assertThat(refused.errorCode()).hasValue("invalid_api_key");
      assertThat(f.view(callId).state()).isEqualTo(SipCallState.RINGING);
    }
  }

  @Test
  void anUnansweredCallEndsAfterTheRingTimeout() throws Exception {
    try (SipFixture f =
        SipFixture.start(SipSettings.DEFAULTS.withRingTimeout(Duration.ofMillis(300)))) {
      String callId = f.ring(SipCallRequest.of("+15550100001", "+15550100000"));

      await().until(() -> f.view(callId).state() == SipCallState.ENDED);

      assertThat(f.view(callId).endReason()).isEqualTo(SipEndReason.UNANSWERED);
      assertThat(failure(f.calls().accept(callId, SESSION)).kind()).isEqualTo(Kind.CALL_NOT_FOUND);
    }
  }

  private static HttpResponse<String> post(SipFixture f, String callId, String op, String body)
      throws Exception {
    URI uri =
        URI.create(f.sandbox().sandbox().httpBaseUri() + "/realtime/calls/" + callId + "/" + op);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer sk-sandbox-test");
    request.POST(
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    return JSON.readTree(response.body()).path("error");
  }

  private static RealtimeCallsException failure(CompletableFuture<Void> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (RealtimeCallsException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no answer in time", e);
    }
    throw new AssertionError("the request unexpectedly succeeded");
  }
}
