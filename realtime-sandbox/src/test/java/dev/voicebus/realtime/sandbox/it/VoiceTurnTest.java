package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.CallerAudio;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.session.TurnDetection;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The client drives the sandbox over a real socket through a VAD voice turn and a tool call. */
class VoiceTurnTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void voiceTurnDetectsSpeechCommitsTranscribesAndResponds() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s = f.open(SandboxFixture.telephony().build())) {
      byte[] caller = CallerAudio.utterance(AudioFormat.PCMU, 500, 1200, 800);
      SandboxFixture.stream(s, caller);

      var started = s.next(ServerEvent.InputAudioBufferSpeechStarted.class);
      var stopped = s.next(ServerEvent.InputAudioBufferSpeechStopped.class);
      // Speech starts at 500 ms; minus 300 ms prefix padding; the synthetic onset takes ~25 ms.
      assertThat(started.audioStartMs()).isBetween(200, 250);
      // Speech ends at 1700 ms; stop is reported after 500 ms of silence.
      assertThat(stopped.audioEndMs()).isBetween(2150, 2220);
      assertThat(stopped.itemId()).isEqualTo(started.itemId());
      var committed = s.next(ServerEvent.InputAudioBufferCommitted.class);
      assertThat(committed.itemId()).isEqualTo(started.itemId());
      var transcript = s.next(ServerEvent.InputAudioTranscriptionCompleted.class);
      assertThat(transcript.transcript()).isEqualTo("Hi, I'd like to check on my order.");
      assertThat(transcript.usage().type()).isEqualTo("tokens");

      var created = s.next(ServerEvent.ResponseCreated.class);
      var done = s.next(ServerEvent.ResponseDone.class);
      assertThat(created.response().id()).startsWith("resp_").isEqualTo(done.response().id());
      assertThat(done.response().status()).isEqualTo("completed");
      assertThat(done.response().usage().totalTokens()).isPositive();
      assertThat(done.response().usage().outputTokenDetails().audioTokens()).isPositive();
      assertThat(done.response().usage().inputTokenDetails().audioTokens()).isPositive();
      assertResponseOrder(s.events(), created, done);
      assertAudioMatchesTranscript(s);

      SessionRecord record = f.record(s);
      CRC32 crc = new CRC32();
      crc.update(caller);
      assertThat(record.audioBytesReceived()).isEqualTo(caller.length);
      assertThat(record.audioChecksum()).isEqualTo(crc.getValue());
    }
  }

  private static void assertResponseOrder(
      List<ServerEvent> events, ServerEvent created, ServerEvent done) {
    List<String> types =
        events.subList(events.indexOf(created), events.indexOf(done) + 1).stream()
            .map(ServerEvent::type)
            .filter(t -> !t.endsWith(".delta"))
            .toList();
    assertThat(types)
        .containsExactly(
            "response.created",
            "rate_limits.updated",
            "response.output_item.added",
            "conversation.item.added",
            "response.content_part.added",
            "response.output_audio.done",
            "response.output_audio_transcript.done",
            "response.content_part.done",
            "response.output_item.done",
            "conversation.item.done",
            "response.done");
    List<String> deltas =
        events.subList(events.indexOf(created), events.indexOf(done)).stream()
            .map(ServerEvent::type)
            .filter(t -> t.endsWith(".delta"))
            .toList();
    // Transcript deltas are interleaved with the audio, not all sent at the end.
    assertThat(deltas.indexOf("response.output_audio_transcript.delta"))
        .isLessThan(deltas.lastIndexOf("response.output_audio.delta"));
  }

  private static void assertAudioMatchesTranscript(ClientSession s) {
    long audioBytes =
        s.all(ServerEvent.ResponseOutputAudioDelta.class).stream()
            .mapToLong(d -> d.deltaBytes().length)
            .sum();
    String fromDeltas =
        String.join(
            "",
            s.all(ServerEvent.ResponseOutputAudioTranscriptDelta.class).stream()
                .map(ServerEvent.ResponseOutputAudioTranscriptDelta::delta)
                .toList());
    String transcript = s.first(ServerEvent.ResponseOutputAudioTranscriptDone.class).transcript();
    assertThat(fromDeltas).isEqualTo(transcript);
    assertThat(transcript).startsWith("Hello, thanks for calling Acme support.");
    // pcmu is 8 bytes per ms; the sandbox speaks 65 ms per character.
    assertThat(audioBytes).isEqualTo(transcript.length() * SpeechSynth.MS_PER_CHAR * 8L);
  }

  @Test
  void toolCallRoundTripReachesTheModel() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      s.send(new ClientEvent.ResponseCreate());
      var greeting = s.next(ServerEvent.ResponseDone.class);
      assertThat(greeting.response().status()).isEqualTo("completed");

      SandboxFixture.stream(s, CallerAudio.utterance(AudioFormat.PCMU, 0, 1000, 200));
      s.send(new ClientEvent.InputAudioBufferCommit());
      s.next(ServerEvent.InputAudioBufferCommitted.class);
      s.send(new ClientEvent.ResponseCreate());
      var call = s.next(ServerEvent.ResponseFunctionCallArgumentsDone.class);
      assertThat(call.name()).isEqualTo("lookup_order");
      assertThat(call.callId()).startsWith("call_");
      assertThat(MAPPER.readTree(call.arguments()).path("order_id").asText()).isEqualTo("A1001");
      var callDone = s.next(ServerEvent.ResponseDone.class);
      assertThat(callDone.response().output())
          .singleElement()
          .isInstanceOf(ConversationItem.FunctionCall.class);

      String output = "{\"status\":\"shipped\",\"eta\":\"Friday\"}";
      s.send(
          new ClientEvent.ConversationItemCreate(
              ConversationItem.functionCallOutput(call.callId(), output)));
      var added = s.next(ServerEvent.ConversationItemAdded.class);
      assertThat(added.item()).isInstanceOf(ConversationItem.FunctionCallOutput.class);
      s.send(new ClientEvent.ResponseCreate());
      s.next(ServerEvent.ResponseDone.class);
      String spoken =
          s.all(ServerEvent.ResponseOutputAudioTranscriptDone.class).get(1).transcript();
      assertThat(spoken).contains("shipped").contains("Friday");
      assertThat(f.record(s).functionOutputs())
          .extracting(o -> o.callId() + "=" + o.output())
          .containsExactly(call.callId() + "=" + output);
    }
  }

  @Test
  void retrievesAndDeletesItemsAndRejectsUnknownIds() throws Exception {
    try (SandboxFixture f = SandboxFixture.start();
        ClientSession s =
            f.open(SandboxFixture.telephony().withTurnDetection(TurnDetection.MANUAL).build())) {
      s.send(new ClientEvent.ConversationItemCreate(ConversationItem.userText("Hello there")));
      String itemId = s.next(ServerEvent.ConversationItemAdded.class).item().id();
      assertThat(itemId).startsWith("item_");
      s.send(new ClientEvent.ConversationItemRetrieve(null, itemId));
      assertThat(s.next(ServerEvent.ConversationItemRetrieved.class).item().id()).isEqualTo(itemId);
      s.send(new ClientEvent.ConversationItemDelete(null, itemId));
      assertThat(s.next(ServerEvent.ConversationItemDeleted.class).itemId()).isEqualTo(itemId);
      s.send(new ClientEvent.ConversationItemDelete("evt_del", itemId));
      var error = s.next(ServerEvent.ErrorEvent.class).error();
      assertThat(error.code()).isEqualTo("item_delete_invalid_item_id");
      assertThat(error.eventId()).isEqualTo("evt_del");
    }
  }
}
