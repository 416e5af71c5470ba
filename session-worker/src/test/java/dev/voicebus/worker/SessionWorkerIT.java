package dev.voicebus.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.AgentAudio;
import dev.voicebus.avro.AudioCodec;
import dev.voicebus.avro.AudioGap;
import dev.voicebus.avro.CallSummary;
import dev.voicebus.avro.ClearPlayback;
import dev.voicebus.avro.ErrorSource;
import dev.voicebus.avro.Hangup;
import dev.voicebus.avro.SessionError;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.avro.SessionUsage;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.ToolCall;
import dev.voicebus.avro.ToolResult;
import dev.voicebus.avro.ToolStatus;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.realtime.sandbox.RealtimeSandbox;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.realtime.sandbox.audio.MarkedAudio;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session worker end to end on a real broker and the Realtime sandbox over real sockets. The
 * caller, the ingest node's playback acknowledgements and the tool executor are stood in for by
 * real Kafka clients in {@link WorkerHarness}.
 */
@ExtendWith(KafkaClusterExtension.class)
class SessionWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static RealtimeSandbox sandbox;
  private static WorkerHarness harness;

  @BeforeAll
  static void start(KafkaCluster cluster) throws Exception {
    sandbox = RealtimeSandbox.start(SandboxConfig.defaults());
    harness = new WorkerHarness(cluster, sandbox.baseUri(), WorkerHarness.tempDir());
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    sandbox.close();
  }

  @Test
  void carriesTwoTurnsAndAToolCallRoundTrip() {
    String callId = harness.startCall("support");
    long seq = harness.speak(callId, 0, 1200, 800);
    awaitAgentFinal(callId, "What is your order number?");

    seq = harness.speak(callId, seq, 1000, 800);
    awaitAgentFinal(callId, "Your order A1001 is shipped, and it should arrive tomorrow.");
    harness.endCall(callId, seq - 1);

    ToolCall toolCall = awaitToolCall(callId);
    assertThat(toolCall.getName()).isEqualTo("lookup_order");
    assertThat(toolCall.getArgumentsJson()).isEqualTo("{\"order_id\":\"A1001\"}");
    assertThat(toolCall.getDeadline()).isAfter(toolCall.getRequestedAt());

    assertThat(finals(callId, Speaker.CALLER))
        .containsExactly(
            "Hi, I'd like to check on my order.",
            "It's A1001. I paid with my card [card ****1111].");
    assertThat(finals(callId, Speaker.AGENT))
        .containsExactly(
            "Hello, thanks for calling Acme support. I can help with that. What is your order number?",
            "Thanks for waiting. Your order A1001 is shipped, and it should arrive tomorrow.");

    SessionRecord session = sandboxSession(callId);
    assertThat(session.functionOutputs())
        .singleElement()
        .satisfies(o -> assertThat(o.callId()).isEqualTo(toolCall.getToolCallId()))
        .satisfies(o -> assertThat(o.output()).contains("\"status\":\"shipped\""));
    assertThat(session.receivedEventTypes())
        .startsWith("session.update")
        .contains("response.create");
    assertThat(session.audioBytesReceived()).isEqualTo(seq * 160);
    assertThat(session.audioChecksum())
        .isEqualTo(expectedChecksum(List.of(new int[] {1200, 800}, new int[] {1000, 800})));
    assertThat(MarkedAudio.sequence(session.audioReceived()))
        .containsExactlyElementsOf(rangeOf((int) seq));

    List<AgentAudio> audio = agentAudio(callId);
    assertThat(audio)
        .extracting(AgentAudio::getSeq)
        .containsExactlyElementsOf(rangeOf(audio.size()));
    assertThat(audio).allSatisfy(a -> assertThat(a.getCodec()).isEqualTo(AudioCodec.PCMU));
    long firstItemMs =
        audio.stream()
            .filter(a -> a.getItemId().equals(audio.get(0).getItemId()))
            .mapToLong(AgentAudio::getDurationMs)
            .sum();
    long expectedMs = SpeechSynth.durationMs(finals(callId, Speaker.AGENT).get(0));
    assertThat(firstItemMs).isBetween(expectedMs - 100, expectedMs + 100);

    await().atMost(WAIT).until(() -> harness.summary(callId) != null);
    CallSummary summary = harness.summary(callId);
    assertThat(summary.getToolCalls()).isEqualTo(1);
    assertThat(summary.getTurns()).isEqualTo(3);
    assertThat(summary.getUsage().getOutputAudioTokens()).isPositive();
    assertThat(summary.getCostUsd()).isPositive();
    assertThat(harness.eventsOf(callId))
        .as("one usage event per response")
        .filteredOn(e -> e.getEvent() instanceof SessionUsage u && u.getResponseId() != null)
        .hasSize(3);
    assertThat(harness.eventsOf(callId))
        .as("the caller's token-billed transcriptions, costed by the transcription model")
        .filteredOn(e -> e.getEvent() instanceof SessionUsage u && u.getResponseId() == null)
        .hasSize(2)
        .allSatisfy(e -> assertThat(((SessionUsage) e.getEvent()).getCostUsd()).isPositive());
    await().atMost(WAIT).until(session::isClosed);
    // The card number came in word by word; no delta, final, event or stored state holds it.
    assertThat(harness.transcriptsOf(callId))
        .filteredOn(t -> t.getRole() == Speaker.CALLER && t.getKind() == TranscriptKind.DELTA)
        .extracting(TranscriptEvent::getText)
        .contains("[card ****1111].");
    assertThat(RawTopics.textOf(harness, harness.catalogue.name(Topics.TRANSCRIPTS)))
        .contains("[card ****1111]")
        .doesNotContain("4111");
    for (String topic : RawTopics.durableTextTopics(harness)) {
      assertThat(RawTopics.textOf(harness, topic)).as(topic).doesNotContain("4111 1111");
    }
  }

  @Test
  void bargeInClearsPlaybackAndTruncatesAtWhatTheCallerHeard() {
    harness.acknowledgePlayback.set(false);
    try {
      String callId = harness.startCall("support");
      long seq = harness.speak(callId, 0, 1200, 800);
      awaitAgentFinal(callId, "What is your order number?");
      String agentItem = agentAudio(callId).get(0).getItemId();
      // The caller has heard only the first 400 ms when they start talking over the agent.
      harness.send(
          Topics.CALL_CONTROL,
          callId,
          new dev.voicebus.avro.CallControl(
              new dev.voicebus.avro.PlaybackMark(
                  callId, agentItem + ":400", agentItem, 400L, false, Instant.now())));
      harness.flush();
      seq = harness.speak(callId, seq, 1000, 800);

      await().atMost(WAIT).until(() -> clears(callId).size() == 1);
      assertThat(clears(callId).get(0).getItemId()).isEqualTo(agentItem);
      SessionRecord session = sandboxSession(callId);
      await().atMost(WAIT).until(() -> !session.truncations().isEmpty());
      assertThat(session.truncations())
          .singleElement()
          .isEqualTo(new SessionRecord.Truncation(agentItem, 400));
      assertThat(session.errorCodes()).isEmpty();
      await().atMost(WAIT).until(() -> interrupted(callId).isPresent());
      TranscriptEvent heard = interrupted(callId).get();
      assertThat(heard.getItemId()).isEqualTo(agentItem);
      assertThat(heard.getAudioEndMs()).isEqualTo(400L);
      // The sandbox speaks 65 ms per character: 400 ms heard is the first ~6 characters.
      assertThat(heard.getText()).isEqualTo("Hello,");
      harness.endCall(callId, seq - 1);
    } finally {
      harness.acknowledgePlayback.set(true);
    }
  }

  @Test
  void toolTimeoutTellsTheModelAndDropsTheLateResult() {
    harness.answerTools.set(false);
    try {
      String callId = harness.startCall("support");
      long seq = harness.speak(callId, 0, 1200, 800);
      awaitAgentFinal(callId, "What is your order number?");
      seq = harness.speak(callId, seq, 1000, 800);
      ToolCall call = awaitToolCall(callId);

      await().atMost(WAIT).until(() -> toolErrors(callId, "tool_timeout") == 1);
      SessionRecord session = sandboxSession(callId);
      await().atMost(WAIT).until(() -> session.functionOutputs().size() == 1);
      assertThat(session.functionOutputs().get(0).output()).contains("\"error\":\"timeout\"");

      harness.send(
          Topics.TOOL_RESULTS,
          callId,
          new ToolResult(
              callId,
              call.getToolCallId(),
              call.getName(),
              ToolStatus.OK,
              "{\"status\":\"late\"}",
              9000L,
              1,
              Instant.now(),
              null,
              null,
              null,
              null));
      harness.flush();
      await().atMost(WAIT).until(() -> toolErrors(callId, "late_tool_result") == 1);
      assertThat(session.functionOutputs()).hasSize(1);
      harness.endCall(callId, seq - 1);
    } finally {
      harness.answerTools.set(true);
    }
  }

  @Test
  void unknownProfileEndsTheCallWithAClearError() {
    String callId = harness.startCall("no-such-profile");
    harness.flush();

    await().atMost(WAIT).until(() -> !harness.audioOutOf(callId).isEmpty());
    assertThat(harness.audioOutOf(callId))
        .singleElement()
        .satisfies(o -> assertThat(o.getEvent()).isInstanceOf(Hangup.class));
    assertThat(harness.eventsOf(callId))
        .singleElement()
        .satisfies(
            e -> {
              var error = (SessionError) e.getEvent();
              assertThat(error.getSource()).isEqualTo(ErrorSource.PROFILE);
              assertThat(error.getCode()).isEqualTo("unknown_profile");
              assertThat(error.getMessage()).contains("'no-such-profile'").contains("support");
              assertThat(error.getFatal()).isTrue();
            });
  }

  @Test
  void dropsDuplicateFramesAndReportsAGapWithoutStalling() {
    String callId = harness.startCall("support");
    byte[][] frames = new byte[20][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = SpeechSynth.speech(WorkerHarness.PCMU, i * 160L, 160);
    }
    for (int seq = 0; seq < 10; seq++) {
      harness.frame(callId, seq, frames[seq]);
    }
    for (int seq = 5; seq < 10; seq++) {
      harness.frame(callId, seq, frames[seq]);
    }
    for (int seq = 12; seq < 20; seq++) {
      harness.frame(callId, seq, frames[seq]);
    }
    harness.flush();

    SessionRecord session = sandboxSession(callId);
    await().atMost(WAIT).untilAsserted(() -> assertThat(session.audioAppends()).isEqualTo(18));
    var crc = new CRC32();
    for (int seq = 0; seq < 20; seq++) {
      if (seq != 10 && seq != 11) {
        crc.update(frames[seq]);
      }
    }
    assertThat(session.audioChecksum()).isEqualTo(crc.getValue());
    assertThat(harness.eventsOf(callId))
        .filteredOn(e -> e.getEvent() instanceof AudioGap)
        .singleElement()
        .satisfies(e -> assertThat(e.getEvent()).isEqualTo(new AudioGap(10L, 12L)));
    harness.endCall(callId, 19);
  }

  // ---- helpers ----

  private static void awaitAgentFinal(String callId, String containing) {
    await()
        .atMost(WAIT)
        .until(() -> finals(callId, Speaker.AGENT).stream().anyMatch(t -> t.contains(containing)));
  }

  private static ToolCall awaitToolCall(String callId) {
    await()
        .atMost(WAIT)
        .until(() -> harness.toolCalls.stream().anyMatch(c -> c.getCallId().equals(callId)));
    return harness.toolCalls.stream()
        .filter(c -> c.getCallId().equals(callId))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> finals(String callId, Speaker role) {
    return harness.transcriptsOf(callId).stream()
        .filter(
            t -> t.getRole() == role && t.getKind() == TranscriptKind.FINAL && !t.getInterrupted())
        .map(TranscriptEvent::getText)
        .toList();
  }

  private static java.util.Optional<TranscriptEvent> interrupted(String callId) {
    return harness.transcriptsOf(callId).stream()
        .filter(TranscriptEvent::getInterrupted)
        .findFirst();
  }

  private static List<AgentAudio> agentAudio(String callId) {
    return harness.audioOutOf(callId).stream()
        .filter(o -> o.getEvent() instanceof AgentAudio)
        .map(o -> (AgentAudio) o.getEvent())
        .toList();
  }

  private static List<ClearPlayback> clears(String callId) {
    return harness.audioOutOf(callId).stream()
        .filter(o -> o.getEvent() instanceof ClearPlayback)
        .map(o -> (ClearPlayback) o.getEvent())
        .toList();
  }

  private static long toolErrors(String callId, String code) {
    return harness.eventsOf(callId).stream()
        .filter(e -> e.getEvent() instanceof SessionError error && code.equals(error.getCode()))
        .count();
  }

  private static String sessionIdOf(String callId) {
    return harness.eventsOf(callId).stream()
        .filter(
            e -> e.getEvent() instanceof SessionLifecycle l && l.getPhase() == SessionPhase.CREATED)
        .map(e -> e.getSessionId())
        .findFirst()
        .orElse(null);
  }

  private static SessionRecord sandboxSession(String callId) {
    await().atMost(WAIT).until(() -> sessionIdOf(callId) != null);
    return sandbox.session(sessionIdOf(callId)).orElseThrow();
  }

  /** CRC32 of the frames {@link WorkerHarness#speak} sends for {@code turns}, from seq 0. */
  private static long expectedChecksum(List<int[]> turns) {
    var crc = new CRC32();
    long seq = 0;
    for (int[] turn : turns) {
      for (int ms = 0; ms < turn[0]; ms += 20) {
        crc.update(MarkedAudio.frame(seq++, true));
      }
      for (int ms = 0; ms < turn[1]; ms += 20) {
        crc.update(MarkedAudio.frame(seq++, false));
      }
    }
    return crc.getValue();
  }

  private static List<Long> rangeOf(int size) {
    return java.util.stream.LongStream.range(0, size).boxed().toList();
  }
}
