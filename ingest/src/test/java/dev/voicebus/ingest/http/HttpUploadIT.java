package dev.voicebus.ingest.http;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class HttpUploadIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void chunkedUploadBecomesOneCallWithExactFrames(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.chunk-ms", "40"))) {
      byte[] audio = new byte[8000 + 100];
      new Random(3).nextBytes(audio);
      var request =
          HttpRequest.newBuilder(
                  harness.uploadUri(
                      "codec=pcma&agentProfile=batch&externalCallId=rec-1&meta.source=archive"))
              .header("Authorization", "Bearer " + IngestHarness.API_TOKEN)
              // An InputStream body of unknown length is sent with Transfer-Encoding: chunked.
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(audio)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      var body = new ObjectMapper().readTree(response.body());
      String callId = body.path("callId").asText();
      assertThat(body.path("bytes").asLong()).isEqualTo(audio.length);
      assertThat(body.path("frames").asLong()).isEqualTo(26);

      List<Object> events = eventsOf(harness.control(r -> ended(r, callId)), callId);
      CallStarted started = (CallStarted) events.get(0);
      assertThat(started.getSource()).isEqualTo(CallSource.HTTP);
      assertThat(started.getCodec()).isEqualTo(AudioCodec.PCMA);
      assertThat(started.getExternalCallId()).isEqualTo("rec-1");
      assertThat(started.getCallerMetadata()).containsEntry("source", "archive");
      CallEnded end = (CallEnded) events.get(1);
      assertThat(end.getReason()).isEqualTo(CallEndReason.CALLER_HANGUP);
      assertThat(end.getLastSeq()).isEqualTo(25);

      List<AudioFrame> frames =
          framesOf(harness.audio(r -> framesOf(r, callId).size() >= 26), callId);
      assertThat(frames).hasSize(26);
      assertThat(frames.subList(0, 25))
          .allSatisfy(f -> assertThat(f.getDurationMs()).isEqualTo(40));
      assertThat(frames.get(25).getPayload().remaining()).isEqualTo(100);
      assertThat(payloadOf(frames)).isEqualTo(audio);
    }
  }

  @Test
  void refusesUploadsWithoutTokenOrWithUnknownCodec(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of())) {
      var noToken =
          HttpRequest.newBuilder(harness.uploadUri("codec=pcmu"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[160]))
              .build();
      assertThat(http.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
      var wrongToken =
          HttpRequest.newBuilder(harness.uploadUri("codec=pcmu"))
              .header("Authorization", "Bearer nope")
              .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[160]))
              .build();
      assertThat(http.send(wrongToken, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(403);
      var badCodec =
          HttpRequest.newBuilder(harness.uploadUri("codec=opus"))
              .header("Authorization", "Bearer " + IngestHarness.API_TOKEN)
              .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[160]))
              .build();
      var response = http.send(badCodec, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("unsupported codec 'opus'");
    }
  }

  @Test
  void largeFastUploadArrivesCompleteUnderBackpressure(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of())) {
      byte[] audio = new byte[48 * 20 * 6000]; // 120 s of pcm16 = 6000 frames of 20 ms
      new Random(5).nextBytes(audio);
      var request =
          HttpRequest.newBuilder(harness.uploadUri("codec=pcm16"))
              .header("Authorization", "Bearer " + IngestHarness.API_TOKEN)
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(audio)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      String callId = new ObjectMapper().readTree(response.body()).path("callId").asText();
      List<AudioFrame> frames =
          framesOf(harness.audio(r -> framesOf(r, callId).size() >= 6000), callId);
      assertThat(frames).hasSize(6000);
      assertThat(frames.get(5999).getSeq()).isEqualTo(5999);
      assertThat(payloadOf(frames)).isEqualTo(audio);
    }
  }
}
