package dev.voicebus.ingest.http;

import static dev.voicebus.ingest.support.CallRecords.ended;
import static dev.voicebus.ingest.support.CallRecords.eventsOf;
import static dev.voicebus.ingest.support.CallRecords.framesOf;
import static dev.voicebus.ingest.support.CallRecords.payloadOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallEndReason;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.Bystander;
import dev.voicebus.ingest.support.IngestHarness;
import dev.voicebus.ingest.support.Meters;
import dev.voicebus.ingest.support.RawSockets;
import dev.voicebus.ingest.support.ReadinessWatch;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Uploads over {@code ingest.max-upload-bytes} or over the call duration in audio get 413 with the
 * reason; what was published before the limit stays complete and in order, and a real-time
 * bystander call is unaffected.
 */
@ExtendWith(KafkaClusterExtension.class)
class UploadLimitsIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private static byte[] audio(int bytes) {
    byte[] audio = new byte[bytes];
    new Random(bytes).nextBytes(audio);
    return audio;
  }

  private HttpResponse<String> upload(IngestHarness harness, String externalId, byte[] body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(harness.uploadUri("codec=pcmu&externalCallId=" + externalId))
            .header("Authorization", "Bearer " + IngestHarness.API_TOKEN)
            // An InputStream body of unknown length is sent with Transfer-Encoding: chunked.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The call the upload became, its end, and its frames (checked gap-free from 0). */
  private static List<AudioFrame> endedCall(
      IngestHarness harness, String externalId, CallEndReason reason, String detail) {
    var control =
        harness.control(
            r ->
                r.stream()
                    .anyMatch(
                        k ->
                            k.value().getEvent() instanceof CallStarted s
                                && externalId.equals(s.getExternalCallId())
                                && ended(r, s.getCallId())));
    String callId =
        control.stream()
            .map(k -> k.value().getEvent())
            .filter(e -> e instanceof CallStarted s && externalId.equals(s.getExternalCallId()))
            .map(e -> ((CallStarted) e).getCallId())
            .findFirst()
            .orElseThrow();
    List<Object> events = eventsOf(control, callId);
    CallEnded end = (CallEnded) events.get(events.size() - 1);
    assertThat(end.getReason()).isEqualTo(reason);
    assertThat(end.getDetail()).isEqualTo(detail);
    int count = (int) end.getLastSeq() + 1;
    List<AudioFrame> frames =
        framesOf(harness.audio(r -> framesOf(r, callId).size() >= count), callId);
    assertThat(frames)
        .extracting(AudioFrame::getSeq)
        .containsExactlyElementsOf(LongStream.range(0, count).boxed().toList());
    return frames;
  }

  @Test
  void refusesAnUploadWhoseContentLengthIsOverTheLimitBeforeTheCallStarts(KafkaCluster cluster)
      throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.max-upload-bytes", "16000"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      String response;
      try (Socket socket = RawSockets.connectFrom("127.0.0.1", harness.service().port())) {
        socket
            .getOutputStream()
            .write(
                ("POST /v1/calls?codec=pcmu&externalCallId=huge HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nAuthorization: Bearer "
                        + IngestHarness.API_TOKEN
                        + "\r\nContent-Length: 5000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(new byte[8000]);
        response = RawSockets.readUntilClosed(socket, 10_000);
      }
      assertThat(response)
          .startsWith("HTTP/1.1 413 Request Entity Too Large")
          .contains("{\"error\":\"upload larger than ingest.max-upload-bytes (16000 bytes)\"}");
      assertThat(Meters.count(harness, "voicebus.ingest.calls.started", "source", "HTTP")).isZero();
      assertThat(Meters.count(harness, "voicebus.ingest.errors", "kind", "upload-too-large"))
          .isEqualTo(1);
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void endsAChunkedUploadAtTheLimitWith413AndKeepsWhatItPublished(KafkaCluster cluster)
      throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.max-upload-bytes", "16000"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      byte[] body = audio(40_000);

      HttpResponse<String> response = upload(harness, "too-big", body);

      String reason = "upload larger than ingest.max-upload-bytes (16000 bytes)";
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains(reason);
      List<AudioFrame> frames = endedCall(harness, "too-big", CallEndReason.PROTOCOL_ERROR, reason);
      assertThat(payloadOf(frames)).isEqualTo(Arrays.copyOf(body, 16_000));
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }

  @Test
  void endsAnUploadAtTheMaxCallDurationOfAudioWith413(KafkaCluster cluster) throws Exception {
    try (var harness = new IngestHarness(cluster, Map.of("ingest.max-call-duration", "6s"));
        var ready = new ReadinessWatch(harness.adminUri("/readyz"))) {
      var bystander = Bystander.start(harness, Duration.ofSeconds(3));
      byte[] body = audio(20 * 8000); // 20 s of pcmu, uploaded at up to 20x real time

      HttpResponse<String> response = upload(harness, "too-long", body);

      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains("max call duration reached");
      List<AudioFrame> frames =
          endedCall(harness, "too-long", CallEndReason.MAX_DURATION, "max call duration reached");
      assertThat(payloadOf(frames)).isEqualTo(Arrays.copyOf(body, 6 * 8000));
      bystander.assertUnaffected();
      assertThat(ready.notReady()).isEmpty();
    }
  }
}
