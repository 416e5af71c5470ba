package dev.voicebus.ingest.stream;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.AudioOut;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.avro.PlaybackMark;
import dev.voicebus.ingest.call.CallSession;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.PlainStreamClient;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(KafkaClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainStreamIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private IngestHarness harness;

  @BeforeAll
  void start(KafkaCluster cluster) {
    // The tenant comes from the token: the single api-token's is ingest.default-tenant-id.
    harness = new IngestHarness(cluster, Map.of("ingest.default-tenant-id", "t1"));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private String startCall(PlainStreamClient client, String codec) throws Exception {
    client.text(
        "{\"type\":\"start\",\"codec\":\""
            + codec
            + "\",\"agentProfile\":\"support\",\"tenantId\":\"t1\",\"externalCallId\":\"ext-"
            + codec
            + "\",\"metadata\":{\"caller\":\"+15550100\"}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.texts().isEmpty());
    var started = JSON.readTree(client.texts().get(0));
    assertThat(started.path("type").asText()).isEqualTo("started");
    return started.path("callId").asText();
  }

  @Test
  void logsTheCallsStartAndEndWithItsIdsInTheMdc() throws Exception {
    var logger = (Logger) LoggerFactory.getLogger(CallSession.class);
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    try {
      var client = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
      String callId = startCall(client, "pcmu");
      client.text("{\"type\":\"stop\"}");
      assertThat(client.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(appender.list)
                      .filteredOn(e -> e.getFormattedMessage().startsWith("Call " + callId))
                      .hasSize(2)
                      .allSatisfy(
                          e ->
                              assertThat(e.getMDCPropertyMap())
                                  .containsEntry("callId", callId)
                                  .containsEntry("tenantId", "t1")));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void publishesPcm16In960ByteFramesWhateverTheClientFrameSize() throws Exception {
    var client = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    String callId = startCall(client, "pcm16");
    byte[] audio = new byte[10_000];
    new Random(7).nextBytes(audio);
    for (int i = 0; i < 10; i++) {
      client.binary(Arrays.copyOfRange(audio, i * 1000, (i + 1) * 1000));
    }
    client.text("{\"type\":\"dtmf\",\"digit\":\"#\"}");
    client.text("{\"type\":\"stop\"}");
    assertThat(client.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);

    var control = harness.control(r -> ended(r, callId));
    List<Object> events = eventsOf(control, callId);
    CallStarted started = (CallStarted) events.get(0);
    assertThat(started.getSource()).isEqualTo(CallSource.WEBSOCKET);
    assertThat(started.getCodec()).isEqualTo(AudioCodec.PCM16);
    assertThat(started.getSampleRate()).isEqualTo(24_000);
    assertThat(started.getAgentProfile()).isEqualTo("support");
    assertThat(started.getExternalCallId()).isEqualTo("ext-pcm16");
    assertThat(started.getCallerMetadata()).containsEntry("caller", "+15550100");
    assertThat(((CallEnded) events.get(events.size() - 1)).getLastSeq()).isEqualTo(10);

    List<AudioFrame> frames =
        framesOf(harness.audio(r -> framesOf(r, callId).size() >= 11), callId);
    assertThat(frames)
        .extracting(AudioFrame::getSeq)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(frames.subList(0, 10))
        .allSatisfy(
            f -> {
              assertThat(f.getPayload().remaining()).isEqualTo(960);
              assertThat(f.getDurationMs()).isEqualTo(20);
              assertThat(f.getCodec()).isEqualTo(AudioCodec.PCM16);
            });
    assertThat(frames.get(10).getPayload().remaining()).isEqualTo(400);
    assertThat(payloadOf(frames)).isEqualTo(audio);
  }

  @Test
  void publishesPcmuAndPlaysAgentAudioAsBinaryWithMarks() throws Exception {
    var client = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    String callId = startCall(client, "pcmu");
    byte[] audio = new byte[1600];
    new Random(9).nextBytes(audio);
    client.binary(audio);

    byte[] speech = new byte[800];
    new Random(11).nextBytes(speech);
    var agent =
        AgentAudio.newBuilder()
            .setCallId(callId)
            .setSeq(0)
            .setItemId("item_p")
            .setOffsetMs(0)
            .setDurationMs(100)
            .setCodec(AudioCodec.PCMU)
            .setPayload(ByteBuffer.wrap(speech))
            .build();
    harness.publishAudioOut(callId, 0, new AudioOut(agent));
    await().atMost(Duration.ofSeconds(5)).until(() -> client.receivedAudio().length == 800);
    assertThat(client.receivedAudio()).isEqualTo(speech);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.texts().stream().anyMatch(t -> t.contains("\"mark\"")));
    client.text("{\"type\":\"mark\",\"name\":\"item_p:100\"}");
    client.text("{\"type\":\"stop\"}");
    client.closed().get(10, TimeUnit.SECONDS);

    var control = harness.control(r -> ended(r, callId));
    assertThat(eventsOf(control, callId))
        .filteredOn(PlaybackMark.class::isInstance)
        .singleElement()
        .satisfies(m -> assertThat(((PlaybackMark) m).getPlayedMs()).isEqualTo(100L));
    List<AudioFrame> frames =
        framesOf(harness.audio(r -> framesOf(r, callId).size() >= 10), callId);
    assertThat(frames)
        .hasSize(10)
        .allSatisfy(f -> assertThat(f.getCodec()).isEqualTo(AudioCodec.PCMU));
    assertThat(payloadOf(frames)).isEqualTo(audio);
  }

  @Test
  void rejectsUnknownCodecsAudioBeforeStartAndPartialSamples() throws Exception {
    var opus = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    opus.text("{\"type\":\"start\",\"codec\":\"opus\"}");
    assertThat(opus.closed().get(10, TimeUnit.SECONDS))
        .isEqualTo(
            new PlainStreamClient.Closed(
                1003, "unsupported codec 'opus': use pcm16, pcmu or pcma"));

    var early = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    early.binary(new byte[160]);
    assertThat(early.closed().get(10, TimeUnit.SECONDS))
        .isEqualTo(new PlainStreamClient.Closed(1002, "audio before start"));

    var odd = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    String callId = startCall(odd, "pcm16");
    odd.binary(new byte[961]);
    assertThat(odd.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1003);
    var control = harness.control(r -> ended(r, callId));
    assertThat(eventsOf(control, callId))
        .last()
        .satisfies(
            e ->
                assertThat(((CallEnded) e).getDetail())
                    .isEqualTo("pcm16 frame of 961 bytes is not whole 16-bit samples"));

    var junk = PlainStreamClient.connect(harness.streamUri(), IngestHarness.API_TOKEN);
    junk.text("not json");
    assertThat(junk.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1002);
  }
}
