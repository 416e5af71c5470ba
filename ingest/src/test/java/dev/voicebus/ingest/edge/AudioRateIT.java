package dev.voicebus.ingest.edge;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static dev.voicebus.ingest.support.CallRecords.startedWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.ingest.support.Bystander;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.Meters;
import dev.voicebus.ingest.support.ReadinessWatch;
import dev.voicebus.kafka.embedded.EmbeddedKafkaBroker;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.simulator.CloseStatus;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls that send audio faster than real time: held to their rate by pausing reads, held to their
 * share of the publish queue when Kafka is slower than they are, and ended at the call duration
 * limit by the audio they sent. Nothing they sent within their limits is lost, and a real-time
 * bystander on the same node is unaffected.
 */
@ExtendWith(KafkaClusterExtension.class)
class AudioRateIT {

  private static byte[] randomAudio(int seconds) {
    byte[] audio = new byte[seconds * 8000];
    new Random(seconds).nextBytes(audio);
    return audio;
  }

  private static String callIdOf(IngestHarness harness, SimulatedCall call) {
    var control = harness.control(r -> startedWithExternalId(r, call.callSid()).isPresent());
    return startedWithExternalId(control, call.callSid()).orElseThrow().getCallId();
  }

  private static List<AudioFrame> allFrames(IngestHarness harness, String callId, int count) {
    List<AudioFrame> frames =
        framesOf(harness.audio(r -> framesOf(r, callId).size() >= count), callId);
    assertThat(frames)
        .extracting(AudioFrame::getSeq)
        .containsExactlyElementsOf(LongStream.range(0, count).boxed().toList());
    return frames;
  }

  @Test
  void holdsACallSendingFasterThanRealTimeToRealTimeAndLosesNothing(KafkaCluster cluster)
      throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.audio-burst", "1s"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(8));
      SimulatedCall fast = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      byte[] audio = randomAudio(10);
      long sendStarted = System.nanoTime();
      fast.streamAudio(audio, Pacing.AS_FAST_AS_POSSIBLE).get(60, TimeUnit.SECONDS);
      fast.sendStop();
      assertThat(fast.closed().get(30, TimeUnit.SECONDS))
          .isEqualTo(new CloseStatus(1000, "stream stopped", 101));
      long tookMs = (System.nanoTime() - sendStarted) / 1_000_000;

      String callId = callIdOf(harness, fast);
      List<AudioFrame> frames = allFrames(harness, callId, 500);
      assertThat(payloadOf(frames)).isEqualTo(audio);
      // 10 s of audio with a 1 s burst: the node read it over at least ~8 s, not at once.
      long readOverMs =
          frames.get(499).getCapturedAt().toEpochMilli()
              - frames.get(0).getCapturedAt().toEpochMilli();
      System.out.printf(
          "Fast sender: 10 s of audio written at once was read over %d ms (burst 1 s), call"
              + " closed normally %d ms after sending began, 500/500 frames in order%n",
          readOverMs, tookMs);
      assertThat(readOverMs).isGreaterThan(7_500);
      assertThat(tookMs).isGreaterThan(7_500);
      assertThat(Meters.count(harness, "voicebus.ingest.reads.paused", "cause", "rate"))
          .isPositive();

      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void aCallFasterThanKafkaNeverTakesMoreThanItsShareOfThePublishQueue() throws Exception {
    String clientId = "ingest-quota-" + UUID.randomUUID();
    var settings =
        Map.of(
            "ingest.max-audio-rate", "100",
            "ingest.kafka.publish-queue", "1000",
            "ingest.kafka.max-pending-per-call", "200",
            "kafka.client.id", clientId,
            "kafka.buffer.memory", "262144");
    // Quotas measured over 1 s windows, so that a burst is throttled at once.
    try (var broker =
            EmbeddedKafkaBroker.start(
                Map.of("quota.window.num", "2", "quota.window.size.seconds", "1"));
        var harness = new IngestHarness(broker, settings);
        var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      // Kafka slower than the fast caller: the broker throttles this node's producer to 200 kB/s
      // (a real-time call needs about 17 kB/s).
      admin
          .alterClientQuotas(
              List.of(
                  new ClientQuotaAlteration(
                      new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
                      List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 200_000.0)))))
          .all()
          .get(10, TimeUnit.SECONDS);
      try (var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
        var bystander = Bystander.start(harness, Duration.ofSeconds(6));
        SimulatedCall fast = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
        long sendStarted = System.nanoTime();
        // 90 s of audio: 4500 records, more than the producer's buffer and the queue hold.
        byte[] audio = randomAudio(90);
        fast.streamAudio(audio, Pacing.AS_FAST_AS_POSSIBLE).get(60, TimeUnit.SECONDS);
        fast.sendStop();
        assertThat(fast.closed().get(60, TimeUnit.SECONDS))
            .isEqualTo(new CloseStatus(1000, "stream stopped", 101));

        long tookMs = (System.nanoTime() - sendStarted) / 1_000_000;
        String callId = callIdOf(harness, fast);
        assertThat(payloadOf(allFrames(harness, callId, 4500))).isEqualTo(audio);
        System.out.printf(
            "Faster than Kafka: 90 s of audio at up to 100x through a producer throttled to"
                + " 200 kB/s took %d ms, reads paused %.0f times for backlog, 4500/4500 frames in"
                + " order, queue never full%n",
            tookMs, Meters.count(harness, "voicebus.ingest.reads.paused", "cause", "backlog"));
        bystander.assertUnaffected();
        assertThat(ready.notReady()).isEmpty();
        assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "kafka-queue-full"))
            .isZero();
        assertThat(Meters.count(harness, "voicebus.ingest.reads.paused", "cause", "backlog"))
            .isPositive();
        assertThat(ready.polls()).isGreaterThan(20);
      }
    }
  }

  @Test
  void endsACallAtTheMaxDurationOfAudioItSentLongBeforeTheClockDoes(KafkaCluster cluster)
      throws Exception {
    var settings = Map.of("ingest.max-call-duration", "8s", "ingest.max-audio-rate", "100");
    try (var harness = new IngestHarness(cluster, settings);
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      SimulatedCall fast = harness.simulator().call(Map.of()).get(10, TimeUnit.SECONDS);
      long started = System.nanoTime();
      byte[] audio = randomAudio(20);
      fast.streamAudio(audio, Pacing.AS_FAST_AS_POSSIBLE);
      assertThat(fast.closed().get(10, TimeUnit.SECONDS))
          .isEqualTo(new CloseStatus(1000, "max call duration reached", 101));
      long closedAfterMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "Audio time: 8 s of audio (the max call duration) sent at 100x ended the call %d ms"
              + " after it began sending%n",
          closedAfterMs);
      assertThat(closedAfterMs).isLessThan(6_000);

      String callId = callIdOf(harness, fast);
      List<Object> events = eventsOf(harness.control(r -> ended(r, callId)), callId);
      CallEnded end = (CallEnded) events.get(events.size() - 1);
      assertThat(end.getReason()).isEqualTo(CallEndReason.MAX_DURATION);
      assertThat(end.getLastSeq()).isEqualTo(399);
      List<AudioFrame> frames = allFrames(harness, callId, 400);
      assertThat(payloadOf(frames)).isEqualTo(Arrays.copyOf(audio, 8 * 8000));

      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }
}
