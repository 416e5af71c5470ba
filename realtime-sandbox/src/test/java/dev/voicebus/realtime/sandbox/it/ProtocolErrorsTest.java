package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.RealtimeError;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.CallerAudio;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.RawSocket;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.protocol.ResponsePacing;
import dev.voicebus.realtime.session.TurnDetection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error cases clients must handle, shaped as OpenAI sends them. */
class ProtocolErrorsTest {
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer sk-test");

  @Test
  void sessionUpdateErrorsNameTheParamAndTheClientEvent() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        RawSocket raw = RawSocket.open(f.sandbox().baseUri(), AUTH)) {
      raw.awaitEvent("session.created");
      raw.send(
          "{\"type\":\"session.update\",\"event_id\":\"evt_1\",\"session\":{\"instructions\":\"x\"}}");
      JsonNode missing = raw.awaitNth("error", 1).path("error");
      assertThat(missing.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(missing.path("code").asText()).isEqualTo("missing_required_parameter");
      assertThat(missing.path("param").asText()).isEqualTo("session.type");
      assertThat(missing.path("event_id").asText()).isEqualTo("evt_1");

      raw.send(
          "{\"type\":\"session.update\",\"event_id\":\"evt_2\",\"session\":{\"type\":\"realtime\","
              + "\"audio\":{\"input\":{\"format\":{\"type\":\"audio/mp3\"}}}}}");
      JsonNode format = raw.awaitNth("error", 2).path("error");
      assertThat(format.path("code").asText()).isEqualTo("invalid_value");
      assertThat(format.path("param").asText()).isEqualTo("session.audio.input.format.type");
      assertThat(format.path("event_id").asText()).isEqualTo("evt_2");

      raw.send(
          "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"voice\":\"alloy\"}}");
      JsonNode unknown = raw.awaitNth("error", 3).path("error");
      assertThat(unknown.path("code").asText()).isEqualTo("unknown_parameter");
      assertThat(unknown.path("param").asText()).isEqualTo("session.voice");

      raw.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}");
      assertThat(raw.awaitEvent("session.updated").path("session").path("id").asText())
          .startsWith("sess_");
    }
  }

  @Test
  void commitOfLessThan100MsIsRejectedAsEmpty() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      SandboxFixture.stream(s, CallerAudio.utterance(AudioFormat.PCMU, 60, 0, 0));
      s.send(new ClientEvent.InputAudioBufferCommit("evt_commit"));
      RealtimeError error = s.next(ServerEvent.ErrorEvent.class).error();
      assertThat(error.code()).isEqualTo("input_audio_buffer_commit_empty");
      assertThat(error.message()).contains("buffer only has 60.00ms");
      assertThat(error.eventId()).isEqualTo("evt_commit");
    }
  }

  @Test
  void secondResponseCreateWhileActiveIsRejected() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      s.send(new ClientEvent.ResponseCreate());
      s.send(new ClientEvent.ResponseCreate());
      RealtimeError error = s.next(ServerEvent.ErrorEvent.class).error();
      assertThat(error.code()).isEqualTo("conversation_already_has_active_response");
      assertThat(s.next(ServerEvent.ResponseDone.class).response().status()).isEqualTo("completed");
      assertThat(s.all(ServerEvent.ResponseCreated.class)).hasSize(1);
    }
  }

  @Test
  void cancelWithoutActiveResponseIsRejectedAndCancelStopsAResponse() throws Exception {
    try (SandboxFixture f =
            SandboxFixture.start(SandboxFixture.fast().withPacing(new ResponsePacing(100, 1.0)));
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      s.send(new ClientEvent.ResponseCancel());
      assertThat(s.next(ServerEvent.ErrorEvent.class).error().code())
          .isEqualTo("response_cancel_not_active");
      s.send(new ClientEvent.ResponseCreate());
      s.next(ServerEvent.ResponseOutputAudioDelta.class);
      s.send(new ClientEvent.ResponseCancel());
      var done = s.next(ServerEvent.ResponseDone.class).response();
      assertThat(done.status()).isEqualTo("cancelled");
      assertThat(done.statusDetails().reason()).isEqualTo("client_cancelled");
      var item = s.first(ServerEvent.ResponseOutputItemDone.class).item();
      assertThat(((ConversationItem.Message) item).status()).isEqualTo("incomplete");
    }
  }

  @Test
  void unknownClientEventTypeIsAnInvalidValue() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        RawSocket raw = RawSocket.open(f.sandbox().baseUri(), AUTH)) {
      raw.awaitEvent("session.created");
      raw.send("{\"type\":\"response.explode\",\"event_id\":\"evt_x\"}");
      JsonNode error = raw.awaitEvent("error").path("error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_value");
      assertThat(error.path("param").asText()).isEqualTo("type");
    }
  }
}
