package dev.voicebus.recorder;

import static dev.voicebus.recorder.testing.Tones.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.recorder.testing.FakeS3Server;
import dev.voicebus.recorder.testing.RecorderHarness;
import dev.voicebus.schemas.dlq.DeadLetterHeaders;
import dev.voicebus.schemas.serde.AvroSerde;
import dev.voicebus.schemas.testing.PoisonRecords;
import dev.voicebus.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the recorder survives: a refusing object store, poison records, a call that never ends. */
@ExtendWith(KafkaClusterExtension.class)
class RobustnessIT {

  @Test
  void aRefusedUploadIsRetriedUntilStoredInS3AndOnlyThenAnnounced(
      KafkaCluster cluster, @TempDir Path root) throws Exception {
    try (var s3 = new FakeS3Server("recordings", "AKIDTEST", "s3-secret", "us-east-1");
        var harness = new RecorderHarness(cluster)) {
      s3.failNextPuts(3);
      Path keyFile = Files.writeString(root.resolve("s3-secret"), "s3-secret\n");
      harness.start(
          root,
          Map.of(
              "recorder.storage", "s3",
              "recorder.s3.bucket", "recordings",
              "recorder.s3.endpoint", s3.endpoint().toString(),
              "recorder.s3.path-style", "true",
              "recorder.s3.access-key-id", "AKIDTEST",
              "recorder.s3.secret-access-key.file", keyFile.toString()));
      String callId = RecorderHarness.callIdOn(0, "s3");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
      harness.started(callId, t0, "support", CallSource.TWILIO, 0);
      harness.frames(callId, 0, 50, t0, tone(440, 1000));
      harness.ended(callId, t0.plusSeconds(1), 49);
      harness.flush();

      SessionEvent ready = RecorderIT.awaitReady(harness, callId);
      String day = t0.toString().substring(0, 10).replace('-', '/');
      assertThat(ready.getRecording().getLocation())
          .isEqualTo("s3://recordings/acme/" + day + "/" + callId + ".wav");
      assertThat(s3.objects()).containsKeys("acme/" + day + "/" + callId + ".wav");
      assertThat(s3.requests().stream().filter(r -> r.method().equals("PUT")).count())
          .as("3 refused PUTs, then the sidecar and the WAV")
          .isGreaterThanOrEqualTo(5);
      try (var outbox = Files.list(root.resolve("work/outbox"))) {
        assertThat(outbox.toList()).as("local files deleted once stored").isEmpty();
      }
    }
  }

  @Test
  void poisonRecordsOnEveryTopicReadAreDeadLetteredAndTheCallAroundThemIsRecorded(
      KafkaCluster cluster, @TempDir Path root) throws Exception {
    try (var harness = new RecorderHarness(cluster)) {
      RecorderService recorder = harness.start(root, Map.of());
      String callId = RecorderHarness.callIdOn(1, "poison");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
      harness.started(callId, t0, "support", CallSource.TWILIO, 1);
      var corpus = new java.util.ArrayList<PoisonRecords.Poison>();
      var control =
          PoisonRecords.all(
              AvroSerde.of(CallControl.class),
              CallControl.newBuilder()
                  .setEvent(
                      CallEnded.newBuilder()
                          .setCallId(callId)
                          .setReason(CallEndReason.CALLER_HANGUP)
                          .setEndedAt(t0)
                          .build())
                  .build(),
              callId);
      var frames =
          PoisonRecords.all(
              AvroSerde.of(AudioFrame.class),
              AudioFrame.newBuilder()
                  .setCallId(callId)
                  .setSeq(0)
                  .setCapturedAt(t0)
                  .setDurationMs(20)
                  .setCodec(AudioCodec.PCMU)
                  .setPayload(ByteBuffer.allocate(160))
                  .build(),
              callId);
      var results =
          PoisonRecords.all(
              AvroSerde.of(ToolResult.class),
              ToolResult.newBuilder()
                  .setCallId(callId)
                  .setToolCallId("tc")
                  .setName("x")
                  .setStatus(ToolStatus.OK)
                  .setOutputJson("{}")
                  .setCompletedAt(t0)
                  .build(),
              callId);
      var agent =
          PoisonRecords.all(
              AvroSerde.of(AudioOut.class),
              AudioOut.newBuilder()
                  .setEvent(ClearPlayback.newBuilder().setCallId(callId).setAt(t0).build())
                  .build(),
              callId);
      send(harness, Topics.CALL_CONTROL.baseName(), null, control, t0);
      send(harness, Topics.AUDIO_IN.baseName(), null, frames, t0);
      send(harness, Topics.TOOL_RESULTS.baseName(), null, results, t0);
      send(harness, Topics.AUDIO_OUT.baseName(), 1, agent, t0);
      corpus.addAll(control);
      corpus.addAll(frames);
      corpus.addAll(results);
      corpus.addAll(agent);
      harness.frames(callId, 0, 50, t0, tone(440, 1000));
      harness.ended(callId, t0.plusSeconds(1), 49);
      harness.flush();

      SessionEvent ready = RecorderIT.awaitReady(harness, callId);
      assertThat(ready.getRecording().getDurationMs()).isEqualTo(1000);
      var dead =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInSameThread()
              .until(harness::deadLetters, d -> d.size() >= corpus.size());
      for (String topic :
          new String[] {
            Topics.CALL_CONTROL.baseName(),
            Topics.AUDIO_IN.baseName(),
            Topics.TOOL_RESULTS.baseName(),
            Topics.AUDIO_OUT.baseName()
          }) {
        String full = harness.catalogue().name(byBase(topic));
        assertThat(dead.stream().filter(d -> full.equals(header(d, DeadLetterHeaders.TOPIC))))
            .as("dead letters from " + topic)
            .hasSize(PoisonRecords.Kind.values().length)
            .allMatch(d -> "decode".equals(header(d, DeadLetterHeaders.STAGE)));
      }
      assertThat(recorder.loopRestarts()).isZero();
      assertThat(recorder.healthProblem()).isEmpty();
    }
  }

  @Test
  void aCallWhoseEndNeverComesIsFinalisedAfterTheIdleTimeout(
      KafkaCluster cluster, @TempDir Path root) throws Exception {
    try (var harness = new RecorderHarness(cluster)) {
      harness.start(root, Map.of("recorder.idle-timeout", "1s"));
      String callId = RecorderHarness.callIdOn(0, "idle");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
      harness.started(callId, t0, "support", CallSource.TWILIO, 0);
      harness.frames(callId, 0, 100, t0, tone(440, 2000));
      harness.flush();

      SessionEvent ready = RecorderIT.awaitReady(harness, callId);
      assertThat(ready.getRecording().getDurationMs()).isEqualTo(2000);
      Path json =
          Path.of(java.net.URI.create(ready.getRecording().getLocation()))
              .resolveSibling(callId + ".json");
      assertThat(Files.readString(json)).contains("\"finalisedBy\" : \"IDLE_TIMEOUT\"");
    }
  }

  private static dev.voicebus.schemas.topic.TopicSpec<?, ?> byBase(String base) {
    return Topics.ALL.stream().filter(t -> t.baseName().equals(base)).findFirst().orElseThrow();
  }

  private static void send(
      RecorderHarness harness,
      String base,
      Integer partition,
      java.util.List<PoisonRecords.Poison> poison,
      Instant at) {
    String topic = harness.catalogue().name(byBase(base));
    for (PoisonRecords.Poison p : poison) {
      harness.sendBytes(topic, partition, p.key(), p.value(), at);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
