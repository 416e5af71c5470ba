package dev.voicebus.ingest.playback;

import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.schemas.testing.ConsumerFault;
import dev.voicebus.schemas.topic.Topics;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.Tone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The playback consumer killed by an Error while the JVM stays up: it is restarted with backoff,
 * /readyz says why meanwhile, new calls are refused with 1013 and the reason, and the live call
 * hears the agent audio published during the outage once it is back, without being closed.
 */
@ExtendWith(KafkaClusterExtension.class)
class PlaybackSupervisionIT {

  private static final int REPLY_PARTITION = 0;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDeadPlaybackConsumerIsRestartedAndNewCallsAreRefusedWhileItIsDown(KafkaCluster cluster)
      throws Exception {
    try (var harness =
        new IngestHarness(
            cluster,
            Map.of(
                "ingest.reply-partition", String.valueOf(REPLY_PARTITION),
                "kafka.interceptor.classes", ConsumerFault.class.getName()))) {
      String audioOut = harness.catalogue().name(Topics.AUDIO_OUT);
      try {
        SimulatedCall live = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
        var control = harness.control(r -> startedWithExternalId(r, live.callSid()).isPresent());
        String callId = startedWithExternalId(control, live.callSid()).orElseThrow().getCallId();
        byte[] speech = Tone.muLaw(440, 200); // 200 ms: 1600 bytes

        ConsumerFault.arm(audioOut, () -> new AssertionError("playback poll blew up"));
        harness.publishAudioOut(
            callId, REPLY_PARTITION, PlaybackPoisonIT.agentAudio(callId, 0, speech));

        var down =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(harness.adminUri("/readyz")), r -> r.statusCode() == 503);
        assertThat(down.body())
            .contains("playback consumer down")
            .contains("AssertionError: playback poll blew up");
        SimulatedCall refused = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
        CloseStatus status = refused.closed().get(10, TimeUnit.SECONDS);
        assertThat(status.code()).isEqualTo(1013);
        assertThat(status.reason()).startsWith("playback consumer down");

        ConsumerFault.disarm(audioOut);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(harness.adminUri("/readyz")).statusCode() == 200);
        await().atMost(Duration.ofSeconds(20)).until(() -> live.receivedAudio().length == 1600);
        assertThat(Arrays.equals(live.receivedAudio(), speech)).as("the audio, in full").isTrue();
        assertThat(live.closed()).isNotDone();
        assertThat(ConsumerFault.thrown(audioOut)).isGreaterThanOrEqualTo(1);

        SimulatedCall after = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
        after.sendStop();
        assertThat(after.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
        live.sendStop();
        assertThat(live.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      } finally {
        ConsumerFault.disarm(audioOut);
      }
    }
  }
}
