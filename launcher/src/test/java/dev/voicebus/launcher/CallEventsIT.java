package dev.voicebus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.launcher.telephony.PhoneCaller;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Call events from a real call through the whole local stack (ingest, worker with the sandbox, tool
 * executor) to an integrator's endpoint: the stack started with a webhooks file runs the
 * event-webhooks service, and a receiver verifying with the Standard Webhooks library gets the
 * call's start, end and summary, and the recorder's recording.ready.
 */
class CallEventsIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCallsStartEndSummaryAndRecordingReachASubscribedEndpointSigned() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/events",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status;
          try {
            new Webhook(SECRET).verify(body, exchange.getRequestHeaders());
            received.add(JSON.readTree(body));
            status = 204;
          } catch (Exception e) {
            status = 401;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    Path hooks = Files.createTempFile("webhooks", ".yaml");
    Files.writeString(
        hooks,
        """
        endpoints:
          - id: local
            tenant: default
            url: http://127.0.0.1:%d/events
            secret: %s
            events: ["*"]
        """
            .formatted(server.getAddress().getPort(), SECRET));
    Path recordings = Files.createTempDirectory("call-events-recordings");
    var options =
        new LocalOptions(
            Optional.empty(),
            0,
            0,
            Map.of(
                "event-webhooks.webhooks-file",
                hooks.toString(),
                "recorder.local.dir",
                recordings.toString()));
    try (var stack = LocalStack.start(options, line -> {});
        var phones =
            new TwilioCallSimulator(
                SimulatorOptions.of(
                    URI.create("ws://127.0.0.1:" + stack.ingestPort() + "/twilio/media"),
                    stack.twilioAuthToken()),
                1)) {
      int admin = stack.eventWebhooksAdminPort().orElseThrow();
      var caller = new PhoneCaller(phones.call(Map.of()).get(15, TimeUnit.SECONDS));
      caller.say(1200);
      caller.awaitAgentTurn(Duration.ofSeconds(30));
      caller.call().sendStop();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  received.stream()
                      .map(e -> e.path("type").asText())
                      .toList()
                      .containsAll(
                          List.of(
                              "call.started", "call.ended", "call.summary", "recording.ready")));
      JsonNode started =
          received.stream()
              .filter(e -> e.path("type").asText().equals("call.started"))
              .findFirst()
              .orElseThrow();
      assertThat(started.path("data").path("tenantId").asText()).isEqualTo("default");
      assertThat(started.path("data").path("agentProfile").asText()).isEqualTo("support");
      assertThat(started.path("data").path("externalCallId").asText())
          .isEqualTo(caller.call().callSid());
      JsonNode recording =
          received.stream()
              .filter(e -> e.path("type").asText().equals("recording.ready"))
              .findFirst()
              .orElseThrow();
      assertThat(recording.path("data").path("location").asText())
          .startsWith("file:")
          .contains(recordings.getFileName().toString());
      assertThat(received)
          .extracting(e -> e.path("data").path("callId").asText())
          .containsOnly(started.path("data").path("callId").asText());
      var http = HttpClient.newHttpClient();
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("voicebus_webhooks_delivered_total{")
          .contains("kafka_consumer_");
    } finally {
      server.stop(0);
    }
  }
}
