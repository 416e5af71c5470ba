package dev.voicebus.realtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.TurnDetection;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The calls API client against a real local HTTP server. */
class RealtimeCallsTest {

  private static final String KEY = "sk-calls-Zq81vXkM4rT0pLw9";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestHttpServer server;
  private RealtimeCalls calls;

  @BeforeEach
  void start() throws Exception {
    server = new TestHttpServer();
    calls = new RealtimeCalls(config(server.webSocketBase(), ApiKey.of(KEY)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static RealtimeClientConfig config(URI base, ApiKey key) {
    return RealtimeClientConfig.defaults(key)
        .withBaseUri(base)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  @Test
  void acceptPostsTheSessionConfigAsSessionUpdateCarriesIt() throws Exception {
    SessionConfig session =
        SessionConfig.realtime()
            .withModel("gpt-realtime")
            .withInstructions("Be brief.")
            .withAudioFormat(AudioFormat.PCMU)
            .withVoice("marin")
            .withTurnDetection(TurnDetection.MANUAL)
            .build();

    calls.accept("rtc_abc123", session).get(10, TimeUnit.SECONDS);

    TestHttpServer.Request request = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/realtime/calls/rtc_abc123/accept");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.path("type").asText()).isEqualTo("realtime");
    assertThat(body.path("model").asText()).isEqualTo("gpt-realtime");
    assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.at("/audio/input/format/type").asText()).isEqualTo("audio/pcmu");
    assertThat(body.at("/audio/output/voice").asText()).isEqualTo("marin");
    assertThat(body.at("/audio/input").has("turn_detection")).isTrue();
    assertThat(body.at("/audio/input/turn_detection").isNull()).isTrue();
  }

  @Test
  void rejectReferAndHangupPostWhatTheApiTakes() throws Exception {
    calls.reject("rtc_1", 486).get(10, TimeUnit.SECONDS);
    calls.refer("rtc_2", "tel:+14155550123").get(10, TimeUnit.SECONDS);
    calls.refer("rtc_3", "sip:agent@example.com").get(10, TimeUnit.SECONDS);
    calls.hangup("rtc_4").get(10, TimeUnit.SECONDS);

    TestHttpServer.Request reject = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(reject.path()).isEqualTo("/v1/realtime/calls/rtc_1/reject");
    assertThat(JSON.readTree(reject.body()).path("status_code").asInt()).isEqualTo(486);
    TestHttpServer.Request tel = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(tel.path()).isEqualTo("/v1/realtime/calls/rtc_2/refer");
    assertThat(JSON.readTree(tel.body()).path("target_uri").asText()).isEqualTo("tel:+14155550123");
    TestHttpServer.Request sip = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(JSON.readTree(sip.body()).path("target_uri").asText())
        .isEqualTo("sip:agent@example.com");
    TestHttpServer.Request hangup = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(hangup.path()).isEqualTo("/v1/realtime/calls/rtc_4/hangup");
    assertThat(hangup.body()).isEmpty();
    assertThat(hangup.header("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void sendsAnAzureApiKeyHeaderWhenConfigured() throws Exception {
    var azure =
        new RealtimeCalls(
            config(server.webSocketBase(), ApiKey.of("azure-key-1234", ApiKey.Scheme.API_KEY)));

    azure.hangup("rtc_1").get(10, TimeUnit.SECONDS);

    TestHttpServer.Request request = server.requests.poll(5, TimeUnit.SECONDS);
    assertThat(request.header("api-key")).isEqualTo("azure-key-1234");
    assertThat(request.header("Authorization")).isNull();
  }

  @Test
  void refusesMalformedArgumentsBeforeSendingAnything() {
    assertThatThrownBy(() -> calls.refer("rtc_1", "+14155550123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tel:+E164");
    assertThatThrownBy(() -> calls.refer("rtc_1", "tel:14155550123"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> calls.reject("rtc_1", 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("300-699");
    assertThatThrownBy(() -> calls.hangup("rtc_1/../../models"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> calls.accept("rtc_1", SessionConfig.realtime().withType(null).build()))
        .hasMessageContaining("session.type");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void anUnknownOrEndedCallIsCallNotFoundWithOpenAisError() {
    server.respond(
        "/v1/realtime/calls/rtc_gone/accept",
        404,
        "{\"error\":{\"message\":\"Call rtc_gone not found.\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":\"call_id_not_found\"}}");

    RealtimeCallsException error =
        failure(calls.accept("rtc_gone", SessionConfig.realtime().build()));

    assertThat(error.kind()).isEqualTo(RealtimeCallsException.Kind.CALL_NOT_FOUND);
    assertThat(error.status()).isEqualTo(404);
    assertThat(error.operation()).isEqualTo("accept");
    assertThat(error.callId()).isEqualTo("rtc_gone");
    assertThat(error.errorType()).hasValue("invalid_request_error");
    assertThat(error.errorCode()).hasValue("call_id_not_found");
    assertThat(error.errorMessage()).hasValue("Call rtc_gone not found.");
    assertThat(error.isRetriable()).isFalse();
    assertThat(error.getMessage())
        .contains("accept", "rtc_gone", "404", "call_id_not_found", "not found");
  }

  @Test
  void aSecondAcceptIsAlreadyAcceptedAndOtherStateConflictsAreWrongState() {
    server.respond(
        "/v1/realtime/calls/rtc_1/accept",
        409,
        "{\"error\":{\"message\":\"Call rtc_1 has already been accepted.\","
            + "\"type\":\"invalid_request_error\",\"code\":\"call_already_accepted\"}}");
    server.respond(
        "/v1/realtime/calls/rtc_1/refer",
        409,
        "{\"error\":{\"message\":\"Call rtc_1 has not been accepted yet.\","
            + "\"type\":\"invalid_request_error\",\"code\":\"call_not_accepted\"}}");

    assertThat(failure(calls.accept("rtc_1", SessionConfig.realtime().build())).kind())
        .isEqualTo(RealtimeCallsException.Kind.ALREADY_ACCEPTED);
    assertThat(failure(calls.refer("rtc_1", "tel:+14155550123")).kind())
        .isEqualTo(RealtimeCallsException.Kind.WRONG_STATE);
  }

  @Test
  void keysInAnErrorAnswerAreRedacted() {
    server.respond(
        "/v1/realtime/calls/rtc_1/hangup",
        401,
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + KEY
            + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

    RealtimeCallsException error = failure(calls.hangup("rtc_1"));

    assertThat(error.kind()).isEqualTo(RealtimeCallsException.Kind.UNAUTHORIZED);
    assertThat(error.getMessage()).doesNotContain(KEY).contains("invalid_api_key");
    assertThat(error.errorMessage().orElseThrow()).doesNotContain(KEY);
  }

  @Test
  void aServerFailureWithoutJsonIsRetriable() {
    server.respond("/v1/realtime/calls/rtc_1/hangup", 502, "<html>Bad gateway</html>");

    RealtimeCallsException error = failure(calls.hangup("rtc_1"));

    assertThat(error.kind()).isEqualTo(RealtimeCallsException.Kind.SERVER_ERROR);
    assertThat(error.isRetriable()).isTrue();
    assertThat(error.errorCode()).isEmpty();
    assertThat(error.errorMessage()).hasValue("<html>Bad gateway</html>");
  }

  @Test
  void noAnswerIsATransportFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var unreachable =
        new RealtimeCalls(
            config(URI.create("ws://127.0.0.1:" + closedPort + "/v1"), ApiKey.of(KEY)));

    RealtimeCallsException error = failure(unreachable.hangup("rtc_1"));

    assertThat(error.kind()).isEqualTo(RealtimeCallsException.Kind.TRANSPORT);
    assertThat(error.status()).isZero();
    assertThat(error.isRetriable()).isTrue();
    assertThat(error.getMessage()).contains("hangup", "rtc_1", "no answer").doesNotContain(KEY);
  }

  @ParameterizedTest
  @CsvSource({
    "404, , , CALL_NOT_FOUND",
    "400, call_id_not_found, , CALL_NOT_FOUND",
    "409, call_already_accepted, , ALREADY_ACCEPTED",
    "400, , The call has already been accepted, ALREADY_ACCEPTED",
    "409, , Conflict, WRONG_STATE",
    "400, call_not_accepted, , WRONG_STATE",
    "400, invalid_value, Invalid 'target_uri', INVALID_REQUEST",
    "422, , , INVALID_REQUEST",
    "403, , , UNAUTHORIZED",
    "429, rate_limit_exceeded, , RATE_LIMITED",
    "503, , , SERVER_ERROR",
    "418, , , OTHER"
  })
  void classifiesEachAnswer(int status, String code, String message, String kind) {
    assertThat(RealtimeCallsException.classify(status, code, message))
        .isEqualTo(RealtimeCallsException.Kind.valueOf(kind));
  }

  @Test
  void httpsUsesTheConfiguredTrustAndRefusesAnUntrustedCertificate() throws Exception {
    X509Bundle cert =
        new CertificateBuilder()
            .subject("CN=localhost")
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .setIsCertificateAuthority(true)
            .notAfter(Instant.now().plus(Duration.ofDays(1)))
            .ecp256()
            .buildSelfSigned();
    KeyManagerFactory keys = cert.toKeyManagerFactory();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    try (TestHttpServer https = new TestHttpServer(tls)) {
      var trusting =
          new RealtimeCalls(
              config(https.webSocketBase(), ApiKey.of(KEY))
                  .withTrustManagerFactory(cert.toTrustManagerFactory()));
      var defaultTrust = new RealtimeCalls(config(https.webSocketBase(), ApiKey.of(KEY)));

      trusting.hangup("rtc_1").get(10, TimeUnit.SECONDS);
      RealtimeCallsException refused = failure(defaultTrust.hangup("rtc_2"));

      assertThat(trusting.baseUri().getScheme()).isEqualTo("https");
      assertThat(https.requests.poll(5, TimeUnit.SECONDS).path())
          .isEqualTo("/v1/realtime/calls/rtc_1/hangup");
      assertThat(refused.kind()).isEqualTo(RealtimeCallsException.Kind.TRANSPORT);
      assertThat(refused.getCause()).isInstanceOf(SSLHandshakeException.class);
      assertThat(https.requests).isEmpty();
    }
  }

  @Test
  void restBaseMapsWebSocketSchemesToHttp() {
    assertThat(RealtimeCalls.restBase(URI.create("wss://api.openai.com/v1")))
        .isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(RealtimeCalls.restBase(URI.create("ws://127.0.0.1:8765/v1/")))
        .isEqualTo(URI.create("http://127.0.0.1:8765/v1"));
  }

  private static RealtimeCallsException failure(CompletableFuture<Void> future) {
    try {
      future.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RealtimeCallsException.class);
      return (RealtimeCallsException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the request neither failed nor succeeded in time", e);
    }
    throw new AssertionError("the request unexpectedly succeeded");
  }
}
