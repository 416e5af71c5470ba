package dev.voicebus.ingest.edge;

import static dev.voicebus.ingest.support.RawSockets.closedByServerWithin;
import static dev.voicebus.ingest.support.RawSockets.connectFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.ingest.support.Bystander;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.Meters;
import dev.voicebus.ingest.support.PlainStreamClient;
import dev.voicebus.ingest.support.RawSockets;
import dev.voicebus.ingest.support.ReadinessWatch;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.Tone;
import dev.voicebus.telephony.twilio.TwilioSignature;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile connections before any call starts: headers that drip in forever, floods of idle
 * connections from one address and from many, and streams that never send {@code start}. Each runs
 * next to a real-time bystander call that must come through whole.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConnectionEdgeIT {

  private static final String SLOW_REQUEST =
      "GET /twilio/media HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "X-Padding: "
          + "x".repeat(400)
          + "\r\n\r\n";

  @Test
  void closesConnectionsWhoseHeadersDripInAtTheHeaderDeadline(KafkaCluster cluster)
      throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.request-header-timeout", "1s"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      int port = harness.service().port();
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        slow.add(connectFrom("127.0.0.2", port));
      }
      ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
      ExecutorService readers = Executors.newFixedThreadPool(50);
      try {
        long started = System.nanoTime();
        int[] sent = {0};
        drip.scheduleAtFixedRate(
            () -> {
              int at = sent[0]++;
              for (Socket socket : slow) {
                write(socket, SLOW_REQUEST.substring(at, at + 1));
              }
            },
            0,
            50,
            TimeUnit.MILLISECONDS);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (Socket socket : slow) {
          answers.add(CompletableFuture.supplyAsync(() -> read(socket), readers));
        }
        for (var answer : answers) {
          assertThat(answer.get(10, TimeUnit.SECONDS))
              .startsWith("HTTP/1.1 408 Request Timeout")
              .contains("request line and headers not received within 1000 ms");
        }
        long closedAfterMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
            "Slowloris: 50 connections dripping a header byte every 50 ms all got 408 and were"
                + " closed %d ms after they connected (deadline 1000 ms)%n",
            closedAfterMs);
        // Dripping a byte every 50 ms would take over 20 s to finish the request.
        assertThat(closedAfterMs).isBetween(900L, 4000L);
        assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "header-timeout"))
            .isEqualTo(50);
        // The half-read requests of closed connections are never routed (or refused as calls).
        assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "auth")).isZero();
      } finally {
        drip.shutdownNow();
        readers.shutdownNow();
        slow.forEach(RawSockets::closeQuietly);
      }
      try (Socket huge = connectFrom("127.0.0.2", port)) {
        write(
            huge, "GET /v1/stream HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(9000) + "\r\n\r\n");
        assertThat(RawSockets.readUntilClosed(huge, 5_000))
            .startsWith("HTTP/1.1 431 Request Header Fields Too Large")
            .contains("request headers larger than 8192 bytes");
      }
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void capsConnectionsPerAddressAndOverallWithoutTouchingLiveCalls(KafkaCluster cluster)
      throws Exception {
    var settings =
        Map.of(
            "ingest.max-concurrent-calls", "20",
            "ingest.max-connections", "60",
            "ingest.max-connections-per-address", "20",
            "ingest.request-header-timeout", "30s");
    List<Socket> flood = new ArrayList<>();
    try (var harness = new IngestHarness(cluster, settings);
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(4));
      int port = harness.service().port();

      List<Socket> fromOneHost = open(flood, "127.0.0.2", 30, port);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> refused(harness, "max-connections-per-address") == 10);
      assertThat(fromOneHost.stream().filter(s -> closedByServerWithin(s, 20)).count())
          .as("connections from 127.0.0.2 over its cap of 20")
          .isEqualTo(10);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Meters.gauge(harness, "voicebus.ingest.connections.open") == 21);

      // Another address still gets in while 127.0.0.2 is at its cap.
      SimulatedCall another = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      another.streamAudio(Tone.muLaw(300, 400), Pacing.REAL_TIME).get(10, TimeUnit.SECONDS);
      another.sendStop();
      assertThat(another.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Meters.gauge(harness, "voicebus.ingest.connections.open") == 21);

      // Many addresses: the node-wide cap of 60 holds (21 open + 20 + 19 more).
      List<Socket> fromMany = open(flood, "127.0.0.3", 20, port);
      fromMany.addAll(open(flood, "127.0.0.4", 20, port));
      await().atMost(Duration.ofSeconds(5)).until(() -> refused(harness, "max-connections") == 1);
      assertThat(fromMany.stream().filter(s -> closedByServerWithin(s, 20)).count())
          .as("connections over the node's cap of 60")
          .isEqualTo(1);
      assertThat(Meters.gauge(harness, "voicebus.ingest.connections.open")).isEqualTo(60);
      assertThat(refused(harness, "max-connections-per-address")).isEqualTo(10);

      System.out.printf(
          "Connection flood: 30 from 127.0.0.2 -> 20 held, 10 closed on accept; 40 more from two"
              + " addresses -> 39 held, 1 closed at the node cap of 60; a new call from 127.0.0.1"
              + " during the flood completed%n");
      bystander.assertUnaffected();
      flood.forEach(RawSockets::closeQuietly);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Meters.gauge(harness, "voicebus.ingest.connections.open") == 0);
      assertThat(ready.notReady()).isEmpty();
    } finally {
      flood.forEach(RawSockets::closeQuietly);
    }
  }

  @Test
  void closesStreamsThatNeverSendStartWith1008(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.start-timeout", "1s"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      var signed = new DefaultHttpHeaders();
      signed.set(
          TwilioSignature.HEADER,
          TwilioSignature.sign(
              IngestHarness.TWILIO_TOKEN, harness.twilioUri().toString(), Map.of()));

      SimulatedCall silent = harness.simulator().connectRaw(signed).get(10, TimeUnit.SECONDS);
      SimulatedCall chatty = harness.simulator().connectRaw(signed).get(10, TimeUnit.SECONDS);
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      int[] seq = {0};
      ticker.scheduleAtFixedRate(
          () ->
              chatty.sendText(
                  "{\"event\":\"connected\",\"protocol\":\"Call\",\"sequenceNumber\":\""
                      + ++seq[0]
                      + "\"}"),
          0,
          100,
          TimeUnit.MILLISECONDS);
      var plain = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
      try {
        var expected = new CloseStatus(1008, "no start message within 1000 ms", 101);
        assertThat(silent.closed().get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(chatty.closed().get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(plain.closed().get(5, TimeUnit.SECONDS))
            .isEqualTo(new PlainStreamClient.Closed(1008, "no start message within 1000 ms"));
      } finally {
        ticker.shutdownNow();
      }
      assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "start-timeout"))
          .isEqualTo(3);
      assertThat(harness.service().activeCalls()).isEqualTo(1);
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  private static double refused(IngestHarness harness, String limit) {
    return Meters.count(harness, "voicebus.ingest.connections.refused", "limit", limit);
  }

  private static List<Socket> open(List<Socket> all, String from, int count, int port) {
    List<Socket> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opened.add(connectFrom(from, port));
    }
    all.addAll(opened);
    return opened;
  }

  private static void write(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // closed by the server: the reader sees it
    }
  }

  private static String read(Socket socket) {
    try {
      return RawSockets.readUntilClosed(socket, 10_000);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
