package dev.voicebus.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A browser cannot put an Authorization header on a WebSocket, so the plain stream also takes the
 * bearer token as a subprotocol next to {@code voicebus.stream}; the server selects {@code
 * voicebus.stream} (never echoing the token) and refuses a wrong token before the upgrade.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTokenIT {

  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) {
    harness = new IngestHarness(cluster, Map.of());
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private WebSocket connect(List<String> texts, String... protocols) throws Exception {
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    builder.subprotocols(protocols[0], Arrays.copyOfRange(protocols, 1, protocols.length));
    return builder
        .buildAsync(
            harness.streamUri(),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                texts.add(data.toString());
                ws.request(1);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptsTheTokenAsASubprotocolAndAnswersWithTheStreamProtocolOnly() throws Exception {
    List<String> texts = new CopyOnWriteArrayList<>();
    WebSocket socket = connect(texts, "voicebus.stream", "bearer." + IngestHarness.API_TOKEN);

    assertThat(socket.getSubprotocol()).isEqualTo("voicebus.stream");
    socket.sendText("{\"type\":\"start\",\"codec\":\"pcm16\"}", true).get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> texts.stream().anyMatch(t -> t.contains("\"started\"")));
    socket.sendText("{\"type\":\"stop\"}", true).get(5, TimeUnit.SECONDS);
  }

  @Test
  void refusesAWrongTokenBeforeTheUpgrade() {
    assertThatThrownBy(
            () ->
                connect(
                    new CopyOnWriteArrayList<>(),
                    "voicebus.stream",
                    "bearer.wrong-token-0123456789"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                    .isEqualTo(403));
  }

  @Test
  void ignoresATokenOfferedWithoutTheStreamProtocol() {
    assertThatThrownBy(
            () -> connect(new CopyOnWriteArrayList<>(), "bearer." + IngestHarness.API_TOKEN))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                    .isEqualTo(401));
  }
}
