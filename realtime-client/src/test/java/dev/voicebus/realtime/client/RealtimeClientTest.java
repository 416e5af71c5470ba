package dev.voicebus.realtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.RealtimeJson;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.session.AudioFormat;
import dev.voicebus.realtime.session.SessionConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealtimeClientTest {

  private static final String KEY = "sk-test-Zq81vXkM4rT0pLw9";
  private static final String SESSION_CREATED =
      "{\"type\":\"session.created\",\"event_id\":\"event_1\",\"session\":{\"type\":\"realtime\","
          + "\"object\":\"realtime.session\",\"id\":\"sess_1\",\"model\":\"gpt-realtime\"}}";

  private TestWebSocketServer server;
  private RealtimeClient client;
  private final RealtimeJson json = new RealtimeJson();

  @BeforeEach
  void start() throws Exception {
    server = new TestWebSocketServer();
    client = new RealtimeClient(config(server.baseUri()));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static RealtimeClientConfig config(URI baseUri) {
    return RealtimeClientConfig.defaults(ApiKey.of(KEY))
        .withBaseUri(baseUri)
        .withEventLoopThreads(2)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  private RealtimeConnection open(RecordingListener listener) throws Exception {
    return client.connect("gpt-realtime", listener).get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsBearerKeyToTheRealtimePathAndNoBetaHeader() throws Exception {
    open(new RecordingListener());

    TestWebSocketServer.Upgrade upgrade = server.upgrades.poll(5, TimeUnit.SECONDS);
    assertThat(upgrade.uri()).isEqualTo("/v1/realtime?model=gpt-realtime");
    assertThat(upgrade.headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(upgrade.headers().contains("OpenAI-Beta")).isFalse();
  }

  @Test
  void sendsAnAzureStyleApiKeyHeaderInsteadOfBearerWhenConfigured() throws Exception {
    try (var azure =
        new RealtimeClient(
            config(server.baseUri())
                .withApiKey(ApiKey.of("azure-key-1234", ApiKey.Scheme.API_KEY)))) {
      azure.connect("my-deployment", new RecordingListener()).get(10, TimeUnit.SECONDS);
    }

    TestWebSocketServer.Upgrade upgrade = server.upgrades.poll(5, TimeUnit.SECONDS);
    assertThat(upgrade.uri()).isEqualTo("/v1/realtime?model=my-deployment");
    assertThat(upgrade.headers().get("api-key")).isEqualTo("azure-key-1234");
    assertThat(upgrade.headers().contains("Authorization")).isFalse();
  }

  @Test
  void connectionStatusTellsWhenTheEndpointLastAcceptedAndRefused() throws Exception {
    assertThat(client.connectionStatus()).isEqualTo(ConnectionStatus.NONE);

    open(new RecordingListener());
    ConnectionStatus accepted = client.connectionStatus();
    assertThat(accepted.lastSucceeded()).isPresent();
    assertThat(accepted.lastAttemptFailed()).isFalse();
    assertThat(accepted.succeededWithin(Duration.ofMinutes(1), java.time.Instant.now())).isTrue();

    server.rejectWith(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}");
    assertThatThrownBy(() -> open(new RecordingListener()))
        .hasCauseInstanceOf(RealtimeHandshakeException.class);
    ConnectionStatus refused = client.connectionStatus();
    assertThat(refused.lastAttemptFailed()).isTrue();
    assertThat(refused.lastSucceeded()).isEqualTo(accepted.lastSucceeded());
    assertThat(refused.lastFailure()).hasValueSatisfying(m -> assertThat(m).contains("401"));
    assertThat(refused.lastFailure().get()).doesNotContain(KEY);

    server.rejectWith(0, "");
    open(new RecordingListener());
    assertThat(client.connectionStatus().lastAttemptFailed()).isFalse();
  }

  @Test
  void passesExtraQueryAndHeaders() throws Exception {
    ConnectOptions options =
        new ConnectOptions(
            java.util.Map.of("trace", "a b"),
            java.util.Map.of("OpenAI-Safety-Identifier", "user-7"));

    client.connect("gpt-realtime", options, new RecordingListener()).get(10, TimeUnit.SECONDS);

    TestWebSocketServer.Upgrade upgrade = server.upgrades.poll(5, TimeUnit.SECONDS);
    assertThat(upgrade.uri()).isEqualTo("/v1/realtime?model=gpt-realtime&trace=a+b");
    assertThat(upgrade.headers().get("OpenAI-Safety-Identifier")).isEqualTo("user-7");
  }

  @Test
  void refusesTheBetaHeader() {
    assertThatThrownBy(() -> ConnectOptions.header("OpenAI-Beta", "realtime=v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OpenAI-Beta");
  }

  @Test
  void refusesCredentialHeadersInTheOptions() {
    assertThatThrownBy(() -> ConnectOptions.header("api-key", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("api-key");
  }

  @Test
  void deliversServerEventsAndSendsClientEvents() throws Exception {
    server.greetWith(SESSION_CREATED);
    RecordingListener listener = new RecordingListener();
    RealtimeConnection connection = open(listener);

    ServerEvent first = listener.events.poll(5, TimeUnit.SECONDS);
    ClientEvent update =
        new ClientEvent.SessionUpdate(
            SessionConfig.realtime().withAudioFormat(AudioFormat.PCMU).build());
    connection.send(update).get(5, TimeUnit.SECONDS);
    connection.send(ClientEvent.InputAudioBufferAppend.of(new byte[] {1, 2, 3}));

    assertThat(first).isInstanceOf(ServerEvent.SessionCreated.class);
    assertThat(((ServerEvent.SessionCreated) first).session().id()).isEqualTo("sess_1");
    assertThat(json.parseClientEvent(server.texts.poll(5, TimeUnit.SECONDS))).isEqualTo(update);
    assertThat(server.texts.poll(5, TimeUnit.SECONDS))
        .isEqualTo("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AQID\"}");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void keepsSendOrderAcrossThreadsWhenTheListenerSends() throws Exception {
    // The worker's pattern: a function_call_output is sent from its own thread, then the listener
    // (on the client's event loop) sends response.create. While the listener runs, the other
    // thread's send is queued; the listener's must not overtake it on the wire.
    var connection = new java.util.concurrent.atomic.AtomicReference<RealtimeConnection>();
    var callbackDone = new java.util.concurrent.CountDownLatch(1);
    RecordingListener listener =
        new RecordingListener() {
          @Override
          public void onEvent(ServerEvent event) {
            super.onEvent(event);
            if (event instanceof ServerEvent.Unknown) {
              Thread other =
                  new Thread(
                      () ->
                          connection
                              .get()
                              .send(ClientEvent.InputAudioBufferAppend.of(new byte[] {1})));
              other.start();
              try {
                other.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              connection.get().send(new ClientEvent.InputAudioBufferCommit());
              callbackDone.countDown();
            }
          }
        };
    connection.set(open(listener));
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);
    session.writeAndFlush(new TextWebSocketFrame("{\"type\":\"x.custom\",\"event_id\":\"e\"}"));
    assertThat(callbackDone.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(server.texts.poll(5, TimeUnit.SECONDS)).contains("input_audio_buffer.append");
    assertThat(server.texts.poll(5, TimeUnit.SECONDS)).contains("input_audio_buffer.commit");
  }

  @Test
  void reassemblesFragmentedLargeServerMessages() throws Exception {
    RecordingListener listener = new RecordingListener();
    open(listener);
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);
    String delta = "A".repeat(1_000_000);
    String event =
        "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"r\","
            + "\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\""
            + delta
            + "\"}";
    byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;

    session.write(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(bytes, 0, half)));
    session.writeAndFlush(
        new ContinuationWebSocketFrame(
            true, 0, Unpooled.wrappedBuffer(bytes, half, bytes.length - half)));

    ServerEvent received = listener.events.poll(5, TimeUnit.SECONDS);
    assertThat(((ServerEvent.ResponseOutputAudioDelta) received).delta()).isEqualTo(delta);
  }

  @Test
  void reportsUndecodableFramesAndKeepsGoing() throws Exception {
    RecordingListener listener = new RecordingListener();
    RealtimeConnection connection = open(listener);
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);

    session.writeAndFlush(new TextWebSocketFrame("not json"));
    session.writeAndFlush(new TextWebSocketFrame("{\"type\":\"brand.new\",\"event_id\":\"e2\"}"));

    assertThat(listener.errors.poll(5, TimeUnit.SECONDS))
        .isInstanceOf(dev.voicebus.realtime.event.InvalidEventException.class);
    assertThat(listener.events.poll(5, TimeUnit.SECONDS))
        .isInstanceOf(ServerEvent.Unknown.class)
        .extracting(ServerEvent::type)
        .isEqualTo("brand.new");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void surfacesTheServersCloseCodeAndReason() throws Exception {
    RecordingListener listener = new RecordingListener();
    RealtimeConnection connection = open(listener);
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);
    String reason = "Your session hit the maximum duration of 60 minutes.";

    session.writeAndFlush(new CloseWebSocketFrame(1001, reason));

    assertThat(listener.closes.poll(5, TimeUnit.SECONDS)).isEqualTo(new CloseStatus(1001, reason));
    assertThat(server.closeFrames.poll(5, TimeUnit.SECONDS).code()).isEqualTo(1001);
    assertThat(connection.closeFuture().get(5, TimeUnit.SECONDS).code()).isEqualTo(1001);
    assertThat(connection.isOpen()).isFalse();
    assertThat(listener.closes.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void reportsAbnormalClosureWhenTheTcpConnectionDrops() throws Exception {
    RecordingListener listener = new RecordingListener();
    RealtimeConnection connection = open(listener);
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);

    session.close();

    CloseStatus status = listener.closes.poll(5, TimeUnit.SECONDS);
    assertThat(status.code()).isEqualTo(1006);
    assertThat(connection.isOpen()).isFalse();
    assertThat(connection.send(new ClientEvent.InputAudioBufferCommit()))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("closed");
  }

  @Test
  void closesWithTheClientsCodeAndReason() throws Exception {
    RecordingListener listener = new RecordingListener();
    RealtimeConnection connection = open(listener);

    CloseStatus status = connection.close(4000, "call ended").get(5, TimeUnit.SECONDS);

    assertThat(server.closeFrames.poll(5, TimeUnit.SECONDS))
        .isEqualTo(new CloseStatus(4000, "call ended"));
    assertThat(status).isEqualTo(new CloseStatus(4000, "call ended"));
    assertThat(listener.closes.poll(5, TimeUnit.SECONDS)).isEqualTo(status);
  }

  @Test
  void rejectsInvalidCloseCodes() throws Exception {
    RealtimeConnection connection = open(new RecordingListener());

    assertThatThrownBy(() -> connection.close(1006, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1006");
  }

  @ParameterizedTest
  @CsvSource({
    "401, Unauthorized, invalid_api_key",
    "404, Not Found, model_not_found",
    "429, Too Many Requests, insufficient_quota"
  })
  void failsTheHandshakeWithTheHttpStatusAndBodyButNotTheKey(
      int status, String phrase, String code) {
    server.rejectWith(
        status,
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + KEY
            + ".\",\"type\":\"invalid_request_error\",\"code\":\""
            + code
            + "\"}}");
    RecordingListener listener = new RecordingListener();

    CompletableFuture<RealtimeConnection> future = client.connect("gpt-realtime", listener);

    Throwable error = failure(future);
    assertThat(error).isInstanceOf(RealtimeHandshakeException.class);
    RealtimeHandshakeException handshake = (RealtimeHandshakeException) error;
    assertThat(handshake.status()).isEqualTo(status);
    assertThat(handshake.getMessage())
        .contains("HTTP " + status + " " + phrase)
        .contains(server.baseUri() + "/realtime?model=gpt-realtime")
        .contains(code)
        .doesNotContain(KEY)
        .doesNotContain("Zq81vXkM4rT0pLw9");
    assertThat(handshake.isFatal()).isEqualTo(status != 429);
    assertThat(listener.closes).isEmpty();
  }

  @Test
  void neverShowsTheKeyInToString() throws Exception {
    RealtimeConnection connection = open(new RecordingListener());

    assertThat(List.of(client.config(), client, connection, ApiKey.of(KEY)))
        .allSatisfy(o -> assertThat(o.toString()).doesNotContain(KEY).doesNotContain("Zq81"));
    assertThat(client.config().toString()).contains("ApiKey[redacted]");
  }

  @Test
  void failsClearlyWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI base = URI.create("ws://127.0.0.1:" + port + "/v1");
    try (RealtimeClient refused = new RealtimeClient(config(base))) {
      Throwable error = failure(refused.connect("gpt-realtime", new RecordingListener()));

      assertThat(error)
          .isInstanceOf(RealtimeConnectException.class)
          .hasMessageContaining(base + "/realtime?model=gpt-realtime");
    }
  }

  @Test
  void timesOutWhenTheServerNeverAnswersTheUpgrade() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      URI base = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/v1");
      RealtimeClientConfig quick =
          config(base)
              .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(1));
      try (RealtimeClient impatient = new RealtimeClient(quick)) {
        Throwable error = failure(impatient.connect("gpt-realtime", new RecordingListener()));

        assertThat(error)
            .isInstanceOf(RealtimeConnectException.class)
            .hasMessageContaining("timeout");
      }
    }
  }

  @Test
  void runsManySessionsOnTheSharedEventLoopGroup() throws Exception {
    server.greetWith(SESSION_CREATED);
    List<RecordingListener> listeners = new ArrayList<>();
    List<CompletableFuture<RealtimeConnection>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      RecordingListener listener = new RecordingListener();
      listeners.add(listener);
      futures.add(client.connect("gpt-realtime", listener));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listeners.stream().allMatch(l -> l.events.size() == 1));

    java.util.Set<String> threads = new java.util.HashSet<>();
    listeners.forEach(l -> threads.addAll(l.threads));
    assertThat(threads).hasSizeLessThanOrEqualTo(2).allMatch(t -> t.startsWith("realtime-client"));
    assertThat(client.openConnections()).isEqualTo(40);
    client.close();
    assertThat(server.closeFrames).hasSize(40).allMatch(c -> c.code() == 1001);
  }

  @Test
  void keepsDeliveringWhenTheListenerThrows() throws Exception {
    RecordingListener recorder = new RecordingListener();
    RealtimeListener throwing =
        new RealtimeListener() {
          @Override
          public void onEvent(ServerEvent event) {
            recorder.onEvent(event);
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onClose(int code, String reason) {
            recorder.onClose(code, reason);
          }

          @Override
          public void onError(Throwable error) {
            recorder.onError(error);
          }
        };
    RealtimeConnection connection =
        client.connect("gpt-realtime", throwing).get(10, TimeUnit.SECONDS);
    Channel session = server.sessions.poll(5, TimeUnit.SECONDS);

    session.writeAndFlush(new TextWebSocketFrame(SESSION_CREATED));
    session.writeAndFlush(new TextWebSocketFrame(SESSION_CREATED));

    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 2);
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void usesButDoesNotShutDownAnExternallyOwnedEventLoopGroup() throws Exception {
    io.netty.channel.EventLoopGroup external =
        new io.netty.channel.MultiThreadIoEventLoopGroup(
            1, io.netty.channel.nio.NioIoHandler.newFactory());
    try {
      RealtimeClient shared =
          new RealtimeClient(
              config(server.baseUri()),
              external,
              io.netty.channel.socket.nio.NioSocketChannel.class);
      RealtimeConnection connection =
          shared.connect("gpt-realtime", new RecordingListener()).get(10, TimeUnit.SECONDS);

      shared.close();

      assertThat(connection.closeFuture().get(5, TimeUnit.SECONDS).code()).isEqualTo(1001);
      assertThat(external.isShuttingDown()).isFalse();
    } finally {
      external.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void validatesConfigNamingTheKeyAndValue() {
    RealtimeClientConfig defaults = RealtimeClientConfig.defaults(ApiKey.of(KEY));

    assertThatThrownBy(() -> defaults.withBaseUri(URI.create("https://api.openai.com/v1")))
        .hasMessageContaining("baseUri=https://api.openai.com/v1")
        .hasMessageContaining("ws://");
    assertThatThrownBy(() -> defaults.withMaxFrameBytes(10))
        .hasMessageContaining("maxFrameBytes=10");
    assertThatThrownBy(() -> defaults.withEventLoopThreads(-1))
        .hasMessageContaining("eventLoopThreads=-1");
    assertThatThrownBy(() -> defaults.withTimeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("connectTimeout=PT0S");
    assertThatThrownBy(() -> ApiKey.of(" " + KEY))
        .hasMessageNotContaining(KEY)
        .hasMessageContaining("apiKey");
    assertThat(defaults.baseUri()).isEqualTo(URI.create("wss://api.openai.com/v1"));
  }

  static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("connect neither failed nor succeeded in time", e);
    }
    throw new AssertionError("connect unexpectedly succeeded");
  }
}
