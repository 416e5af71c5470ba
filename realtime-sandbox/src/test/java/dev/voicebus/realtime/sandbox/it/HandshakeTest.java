package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.client.RealtimeHandshakeException;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.RawSocket;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Upgrade-time checks: API key, rejected keys, the retired beta header. */
class HandshakeTest {
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
