package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.client.RealtimeHandshakeException;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.RawSocket;
import dev.voicebus.realtime.sandbox.SandboxAuth;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Upgrade-time checks: API key, rejected keys, required credentials, the retired beta header. */
class HandshakeTest {

  private static RealtimeClient client(SandboxFixture f, ApiKey key) {
    return new RealtimeClient(
        RealtimeClientConfig.defaults(key)
            .withBaseUri(f.sandbox().baseUri())
            .withEventLoopThreads(1));
  }

  private static void assertRefusedWith401(RealtimeClient client, String bodyPart) {
    assertThatThrownBy(() -> ClientSession.open(client))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RealtimeHandshakeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.body()).contains(bodyPart);
            });
  }

  @Test
  void clientWithTheRequiredAzureApiKeyHeaderGetsASession() throws Exception {
    SandboxConfig config = SandboxFixture.fast().withAuth(SandboxAuth.apiKeyHeader("azure-k3y"));
    try (SandboxFixture f = SandboxFixture.start(config);
        RealtimeClient client = client(f, ApiKey.of("azure-k3y", ApiKey.Scheme.API_KEY));
        ClientSession session = ClientSession.open(client)) {
      assertThat(session.next(ServerEvent.SessionCreated.class).session().id()).isNotBlank();
      assertThat(client.connectionStatus().lastAttemptFailed()).isFalse();
    }
  }

  @Test
  void wrongApiKeyHeaderOrTheRightKeyAsBearerIsRefusedWith401() {
    SandboxConfig config = SandboxFixture.fast().withAuth(SandboxAuth.apiKeyHeader("azure-k3y"));
    try (SandboxFixture f = SandboxFixture.start(config);
        RealtimeClient wrongKey = client(f, ApiKey.of("azure-other", ApiKey.Scheme.API_KEY));
        RealtimeClient wrongHeader = client(f, ApiKey.of("azure-k3y"))) {
      assertRefusedWith401(wrongKey, "Access denied");
      assertRefusedWith401(wrongHeader, "Access denied");
      assertThat(wrongKey.connectionStatus().lastAttemptFailed()).isTrue();
    }
  }

  @Test
  void requiredBearerKeyRefusesAnyOtherKey() throws Exception {
    SandboxConfig config = SandboxFixture.fast().withAuth(SandboxAuth.bearer("sk-the-one"));
    try (SandboxFixture f = SandboxFixture.start(config);
        RealtimeClient other = client(f, ApiKey.of("sk-another"));
        RealtimeClient right = client(f, ApiKey.of("sk-the-one"))) {
      assertRefusedWith401(other, "\"code\":\"invalid_api_key\"");
      ClientSession.open(right).close();
    }
  }

  @Test
  void requiredKeyModeNeedsAKeyAndTheEnvironmentSelectsIt() {
    assertThat(SandboxAuth.fromEnv(Map.of())).isEqualTo(SandboxAuth.ANY);
    assertThat(SandboxAuth.fromEnv(Map.of("SANDBOX_AUTH", "api-key", "SANDBOX_API_KEY", "k")))
        .isEqualTo(SandboxAuth.apiKeyHeader("k"));
    assertThat(SandboxAuth.apiKeyHeader("k").toString()).doesNotContain("k]").contains("***");
    assertThatThrownBy(() -> SandboxAuth.fromEnv(Map.of("SANDBOX_AUTH", "bearer")))
        .hasMessageContaining("SANDBOX_API_KEY");
    assertThatThrownBy(() -> SandboxAuth.fromEnv(Map.of("SANDBOX_AUTH", "basic")))
        .hasMessageContaining("SANDBOX_AUTH='basic'")
        .hasMessageContaining("any, bearer or api-key");
  }

  @Test
  void healthzAnswers200OnTheSandboxPort() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      var response =
          HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + f.sandbox().port() + "/healthz"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok\n");
    }
  }

  @Test
  void rejectedKeyGets401WithInvalidApiKey() {
    try (SandboxFixture f = SandboxFixture.start();
        RealtimeClient client =
            new RealtimeClient(
                RealtimeClientConfig.defaults(ApiKey.of("sk-invalid"))
                    .withBaseUri(f.sandbox().baseUri()))) {
      assertThatThrownBy(() -> ClientSession.open(client))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              RealtimeHandshakeException.class,
              e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.body()).contains("\"code\":\"invalid_api_key\"");
                assertThat(e.isFatal()).isTrue();
              });
    }
  }

  @Test
  void missingKeyGets401() {
    try (SandboxFixture f = SandboxFixture.start()) {
      URI uri = URI.create(f.sandbox().baseUri() + "/realtime?model=gpt-realtime");
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .newWebSocketBuilder()
                      .buildAsync(uri, new WebSocket.Listener() {})
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }
  }

  @Test
  void betaHeaderGetsBetaApiShapeDisabledAndClose4000() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        RawSocket raw =
            RawSocket.open(
                f.sandbox().baseUri(),
                Map.of("Authorization", "Bearer sk-test", "OpenAI-Beta", "realtime=v1"))) {
      JsonNode error = raw.awaitEvent("error").path("error");
      assertThat(error.path("code").asText()).isEqualTo("beta_api_shape_disabled");
      assertThat(raw.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(4000);
      assertThat(raw.events()).hasSize(1);
    }
  }
}
