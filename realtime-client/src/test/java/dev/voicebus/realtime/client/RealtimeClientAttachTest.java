package dev.voicebus.realtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebus.realtime.event.ServerEvent;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RealtimeClient#attach}: the sideband socket of a call, over a real local WebSocket. */
class RealtimeClientAttachTest {

  private static final String KEY = "sk-attach-Zq81vXkM4rT0pLw9";

  private TestWebSocketServer server;
  private RealtimeClient client;

  @BeforeEach
  void start() throws Exception {
    server = new TestWebSocketServer();
    client = new RealtimeClient(config(server.baseUri(), ApiKey.of(KEY)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static RealtimeClientConfig config(URI baseUri, ApiKey key) {
    return RealtimeClientConfig.defaults(key)
        .withBaseUri(baseUri)
        .withEventLoopThreads(1)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  @Test
  void attachesByCallIdWithTheKeyAndWithoutAModel() throws Exception {
    server.greetWith(
        "{\"type\":\"session.created\",\"event_id\":\"event_1\",\"session\":{\"type\":\"realtime\","
            + "\"object\":\"realtime.session\",\"id\":\"sess_1\",\"model\":\"gpt-realtime\"}}");
    RecordingListener listener = new RecordingListener();

    RealtimeConnection connection =
        client.attach("rtc_u0_Dh72Y82UgVr8Islheq03l", listener).get(10, TimeUnit.SECONDS);

    TestWebSocketServer.Upgrade upgrade = server.upgrades.poll(5, TimeUnit.SECONDS);
    assertThat(upgrade.uri()).isEqualTo("/v1/realtime?call_id=rtc_u0_Dh72Y82UgVr8Islheq03l");
    assertThat(upgrade.uri()).doesNotContain("model");
    assertThat(upgrade.headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(connection.url()).doesNotContain(KEY);
    assertThat(listener.events.poll(5, TimeUnit.SECONDS))
        .isInstanceOf(ServerEvent.SessionCreated.class);
  }

  @Test
  void attachSendsAnAzureApiKeyHeaderWhenConfigured() throws Exception {
    try (var azure =
        new RealtimeClient(
            config(server.baseUri(), ApiKey.of("azure-key-1234", ApiKey.Scheme.API_KEY)))) {
      azure.attach("rtc_1", new RecordingListener()).get(10, TimeUnit.SECONDS);
    }

    TestWebSocketServer.Upgrade upgrade = server.upgrades.poll(5, TimeUnit.SECONDS);
    assertThat(upgrade.headers().get("api-key")).isEqualTo("azure-key-1234");
    assertThat(upgrade.headers().contains("Authorization")).isFalse();
  }

  @Test
  void aRefusedAttachFailsWithTheStatusAndARedactedBody() {
    server.rejectWith(
        404,
        "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"call_id_not_found\","
            + "\"message\":\"No session found for the provided call_id (key "
            + KEY
            + ")\"}}");

    Throwable error =
        RealtimeClientTest.failure(client.attach("rtc_gone", new RecordingListener()));

    assertThat(error).isInstanceOf(RealtimeHandshakeException.class);
    RealtimeHandshakeException refused = (RealtimeHandshakeException) error;
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.body()).contains("call_id_not_found").doesNotContain(KEY);
    assertThat(refused.getMessage()).doesNotContain(KEY);
    assertThat(client.connectionStatus())
        .as("a call that is gone says nothing about the endpoint")
        .isEqualTo(ConnectionStatus.NONE);
  }

  @Test
  void aRefusedKeyOnAttachCountsAsAFailedAttemptOfTheEndpoint() {
    server.rejectWith(401, "{\"error\":{\"code\":\"invalid_api_key\"}}");

    RealtimeClientTest.failure(client.attach("rtc_1", new RecordingListener()));

    assertThat(client.connectionStatus().lastAttemptFailed()).isTrue();
  }

  @Test
  void neverPutsAModelOrASecondCallIdIntoTheQuery() {
    ConnectOptions withModel = new ConnectOptions(Map.of("model", "gpt-realtime"), Map.of());
    ConnectOptions withCall = new ConnectOptions(Map.of("call_id", "rtc_1"), Map.of());

    assertThatThrownBy(() -> client.attach("rtc_1", withModel, new RecordingListener()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model");
    assertThatThrownBy(() -> client.connect("gpt-realtime", withCall, new RecordingListener()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call_id");
    assertThatThrownBy(() -> client.attach(" ", new RecordingListener()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.upgrades).isEmpty();
  }

  @Test
  void callsOfTheClientUseTheSameEndpointOverHttp() {
    assertThat(client.calls().baseUri().toString())
        .isEqualTo(server.baseUri().toString().replace("ws://", "http://"));
    assertThat(client.calls()).isSameAs(client.calls());
    assertThat(client.calls().toString()).doesNotContain(KEY);
  }
}
