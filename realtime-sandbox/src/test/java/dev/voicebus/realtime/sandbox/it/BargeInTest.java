package dev.voicebus.realtime.sandbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ConversationItem;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.CallerAudio;
import dev.voicebus.realtime.sandbox.ClientSession;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.SandboxFixture;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.protocol.ResponsePacing;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Caller speech during the agent's audio cancels the response; truncation rules hold. */
class BargeInTest {
  @Test
  void callerSpeechCancelsTheResponseAndTheClientTruncatesWhatWasHeard() throws Exception {
    // Real-time pacing, so the response is still playing when the caller speaks.
    SandboxConfig realTime = SandboxConfig.defaults().withPacing(new ResponsePacing(100, 1.0));
    try (SandboxFixture f = SandboxFixture.start(realTime);
        ClientSession s = f.open(SandboxFixture.telephony().withTools(null).build())) {
      s.send(new ClientEvent.ResponseCreate());
      var item = s.next(ServerEvent.ResponseOutputItemAdded.class).item();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s.all(ServerEvent.ResponseOutputAudioDelta.class).size() >= 5);

      SandboxFixture.stream(s, CallerAudio.utterance(AudioFormat.PCMU, 0, 600, 700));
      var started = s.next(ServerEvent.InputAudioBufferSpeechStarted.class);
      var cancelled = s.next(ServerEvent.ResponseDone.class);
      assertThat(cancelled.response().status()).isEqualTo("cancelled");
      assertThat(cancelled.response().statusDetails().reason()).isEqualTo("turn_detected");
      long receivedMs =
          s.all(ServerEvent.ResponseOutputAudioDelta.class).stream()
                  .filter(d -> d.itemId().equals(item.id()))
                  .mapToLong(d -> d.deltaBytes().length)
                  .sum()
              / 8;
      assertThat(receivedMs).isBetween(500L, 5000L);

      assertTruncationRules(s, item.id(), receivedMs, started.itemId());

      SessionRecord record = f.record(s);
      assertThat(record.truncations())
          .containsExactly(new SessionRecord.Truncation(item.id(), 400));
    }
  }

  private static void assertTruncationRules(
      ClientSession s, String itemId, long receivedMs, String userItemId) {
    int beyond = (int) receivedMs + 1000;
    s.send(new ClientEvent.ConversationItemTruncate("evt_over", itemId, 0, beyond));
    var over = s.next(ServerEvent.ErrorEvent.class).error();
    assertThat(over.code()).isNull();
    assertThat(over.eventId()).isEqualTo("evt_over");
    assertThat(over.message())
        .isEqualTo(
            "Audio content of " + receivedMs + "ms is already shorter than " + beyond + "ms");

    s.send(new ClientEvent.ConversationItemTruncate(null, itemId, 0, 400));
    var truncated = s.next(ServerEvent.ConversationItemTruncated.class);
    assertThat(truncated.itemId()).isEqualTo(itemId);
    assertThat(truncated.audioEndMs()).isEqualTo(400);

    assertThat(s.first(ServerEvent.InputAudioBufferCommitted.class).itemId()).isEqualTo(userItemId);
    s.send(new ClientEvent.ConversationItemTruncate(null, userItemId, 0, 100));
    var notAudio = s.next(ServerEvent.ErrorEvent.class).error();
    assertThat(notAudio.code()).isEqualTo("unsupported_content_type");
    assertThat(notAudio.message()).isEqualTo("Only model output audio messages can be truncated");
  }

  @Test
  void truncatingAnAssistantItemBeforeAnyAudioIsUnsupported() throws Exception {
    SandboxConfig slow = SandboxConfig.defaults().withPacing(new ResponsePacing(100, 1.0));
    try (SandboxFixture f = SandboxFixture.start(slow);
        ClientSession s = f.open(SandboxFixture.telephony().withTools(null).build())) {
      s.send(
          new ClientEvent.ConversationItemCreate(ConversationItem.assistantText("Earlier reply")));
      String textItem = s.next(ServerEvent.ConversationItemAdded.class).item().id();
      s.send(new ClientEvent.ConversationItemTruncate(null, textItem, 0, 0));
      var error = s.next(ServerEvent.ErrorEvent.class).error();
      assertThat(error.code()).isEqualTo("unsupported_content_type");
    }
  }
}
