package dev.voicebus.ingest;

import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.Tone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka outages, draining and the admin endpoints of one node. */
@ExtendWith(KafkaClusterExtension.class)
class NodeResilienceIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesNewCallsWhileKafkaIsDownAndLosesNoAcknowledgedAudio() throws Exception {
    try (var broker = EmbeddedKafkaBroker.start();
        var harness =
            new IngestHarness(
                broker,
                Map.of(
                    "ingest.kafka.stall-timeout", "1s",
                    "ingest.kafka.probe-interval", "500ms",
                    "kafka.reconnect.backoff.max.ms", "500"))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(harness.adminUri("/readyz")).statusCode() == 200);
      SimulatedCall live = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      byte[] audio = Tone.muLaw(440, 8000);
      CompletableFuture<Void> streaming = live.streamAudio(audio, Pacing.REAL_TIME);

      broker.stop();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(harness.adminUri("/readyz")).statusCode() == 503);
      assertThat(get(harness.adminUri("/readyz")).body()).contains("Kafka");
      SimulatedCall refused = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      CloseStatus status = refused.closed().get(10, TimeUnit.SECONDS);
      assertThat(status.code()).isEqualTo(1013);
      assertThat(status.reason()).startsWith("Kafka");

      broker.restart();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(harness.adminUri("/readyz")).statusCode() == 200);
      streaming.get(30, TimeUnit.SECONDS);
      live.sendStop();
      assertThat(live.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);

      var control = harness.control(r -> startedWithExternalId(r, live.callSid()).isPresent());
      String callId = startedWithExternalId(control, live.callSid()).orElseThrow().getCallId();
      var frames = framesOf(harness.audio(r -> framesOf(r, callId).size() >= 400), callId);
      assertThat(frames).hasSize(400);
      assertThat(payloadOf(frames)).isEqualTo(audio);
      SimulatedCall after = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      after.sendStop();
      assertThat(after.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    }
  }

  @Test
  void drainRefusesNewConnectionsAndLetsLiveCallsFinish(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of())) {
      SimulatedCall live = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      live.streamAudio(Tone.muLaw(440, 200), Pacing.AS_FAST_AS_POSSIBLE).get(5, TimeUnit.SECONDS);
      await().until(() -> harness.service().activeCalls() == 1);
      var draining =
          CompletableFuture.runAsync(
              () -> {
                try {
                  harness.service().drain(Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get(harness.adminUri("/readyz")).body().contains("draining"));
      var rejected = harness.simulator().call(Map.of());
      await().atMost(Duration.ofSeconds(5)).until(rejected::isDone);
      assertThat(rejected).isCompletedExceptionally();

      byte[] more = Tone.muLaw(300, 400);
      live.streamAudio(more, Pacing.AS_FAST_AS_POSSIBLE).get(5, TimeUnit.SECONDS);
      assertThat(draining).isNotDone();
      live.sendStop();
      assertThat(live.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      draining.get(5, TimeUnit.SECONDS);
      var control = harness.control(r -> startedWithExternalId(r, live.callSid()).isPresent());
      String callId = startedWithExternalId(control, live.callSid()).orElseThrow().getCallId();
      assertThat(framesOf(harness.audio(r -> framesOf(r, callId).size() >= 30), callId))
          .hasSize(30);
    }
  }

  @Test
  void servesHealthReadinessAndPrometheusMetrics(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of())) {
      assertThat(get(harness.adminUri("/healthz")).statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(harness.adminUri("/readyz")).statusCode() == 200);
      SimulatedCall call = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      call.streamAudio(Tone.muLaw(440, 100), Pacing.AS_FAST_AS_POSSIBLE).get(5, TimeUnit.SECONDS);
      call.sendStop();
      call.closed().get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String metrics = get(harness.adminUri("/metrics")).body();
                assertThat(metrics)
                    .contains(
                        "voicebus_ingest_calls_started_total{service=\"voicebus-ingest\",source=\"TWILIO\"} 1.0")
                    .contains(
                        "voicebus_ingest_calls_ended_total{reason=\"CALLER_HANGUP\",service=\"voicebus-ingest\"} 1.0")
                    .contains("voicebus_ingest_frames_in_total{service=\"voicebus-ingest\"} 5.0")
                    .contains(
                        "voicebus_ingest_audio_in_bytes_total{service=\"voicebus-ingest\"} 800.0")
                    .contains(
                        "voicebus_ingest_publish_latency_seconds_bucket{service=\"voicebus-ingest\",le=\"0.025\"}")
                    .contains("jvm_memory_used_bytes{")
                    .contains("kafka_producer_record_send_total{");
              });
      assertThat(get(harness.adminUri("/nope")).statusCode()).isEqualTo(404);
    }
  }
}
