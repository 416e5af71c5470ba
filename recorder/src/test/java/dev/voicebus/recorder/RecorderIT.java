package dev.voicebus.recorder;

import static dev.voicebus.recorder.testing.Tones.concat;
import static dev.voicebus.recorder.testing.Tones.silence;
import static dev.voicebus.recorder.testing.Tones.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.voicebus.avro.CallActionKind;
import dev.voicebus.avro.CallSource;
import dev.voicebus.avro.SessionEvent;
import dev.voicebus.avro.SessionLifecycle;
import dev.voicebus.avro.SessionPhase;
import dev.voicebus.kafka.embedded.KafkaCluster;
import dev.voicebus.kafka.embedded.junit.KafkaClusterExtension;
import dev.voicebus.recorder.call.Sidecar;
import dev.voicebus.recorder.testing.RecorderHarness;
import dev.voicebus.recorder.testing.Tones.Wav;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call's records as ingest, the worker and the tool executor publish them, on the real broker:
 * the recorder writes the stereo WAV and sidecar where the caller heard what, and announces it.
 */
@ExtendWith(KafkaClusterExtension.class)
class RecorderIT {

  private static final int REPLY = 1;

  /**
   * Caller: a 440 Hz tone for 2 s, silence, the tone again from 4 s to 6 s (the recording is paused
   * from 4 s to 5 s). Agent: item A (600 ms of 1 kHz, sent at 2.0 s) played from 2.1 s per its
   * marks; item B (1 s, sent at 3.0 s) played from 3.2 s and cut by the caller at 3.5 s.
   */
  @Test
  void recordsCallerLeftAgentRightAsHeardWithTheCutAndThePauseSilentAndAnnouncesIt(
      KafkaCluster cluster, @TempDir Path root) throws Exception {
    try (var harness = new RecorderHarness(cluster)) {
      harness.start(root, Map.of());
      String callId = RecorderHarness.callIdOn(0, "call");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      playCall(harness, callId, t0);

      SessionEvent ready = awaitReady(harness, callId);
      assertThat(((SessionLifecycle) ready.getEvent()).getPhase())
          .isEqualTo(SessionPhase.RECORDING_READY);
      assertThat(ready.getRecording().getCarrierRecords()).isFalse();
      assertThat(ready.getRecording().getDurationMs()).isEqualTo(6000);
      assertThat(ready.getRecording().getPausedMs()).isEqualTo(1000);
      assertThat(ready.getTenantId()).isEqualTo("acme");
      Path wav = Path.of(URI.create(ready.getRecording().getLocation()));
      String day = t0.toString().substring(0, 10).replace('-', '/');
      assertThat(wav)
          .isEqualTo(root.resolve("recordings/acme/" + day + "/" + callId + ".wav"))
          .exists();

      Wav audio = Wav.read(wav);
      assertThat(audio.channels()).isEqualTo(2);
      assertThat(audio.sampleRate()).isEqualTo(8000);
      assertThat(audio.bits()).isEqualTo(16);
      assertThat(audio.durationMs()).isCloseTo(6000, within(1.0));
      short[] left = audio.left();
      short[] right = audio.right();
      // The caller's tone on the left, where it was spoken; silence while paused.
      assertThat(Wav.rms(left, 8000, 50, 1950)).isGreaterThan(4000);
      assertThat(Wav.pitch(left, 8000, 50, 1950)).isCloseTo(440, within(15.0));
      assertThat(Wav.rms(left, 8000, 2050, 3950)).isLessThan(50);
      assertThat(Wav.rms(left, 8000, 4000, 5000)).isZero();
      assertThat(Wav.rms(left, 8000, 5050, 5950)).isGreaterThan(4000);
      // The agent on the right where the marks say it played, cut at the barge-in.
      assertThat(Wav.rms(right, 8000, 0, 2090)).isLessThan(50);
      assertThat(Wav.rms(right, 8000, 2120, 2680)).isGreaterThan(4000);
      assertThat(Wav.pitch(right, 8000, 2120, 2680)).isCloseTo(1000, within(20.0));
      assertThat(Wav.rms(right, 8000, 2720, 3180)).isLessThan(50);
      assertThat(Wav.rms(right, 8000, 3220, 3480)).isGreaterThan(4000);
      assertThat(Wav.rms(right, 8000, 3520, 6000)).isLessThan(50);
      // No bleed: the agent's tone is not on the left, nor the caller's on the right.
      assertThat(Wav.rms(right, 8000, 50, 1950)).isLessThan(50);

      Sidecar sidecar = Sidecar.read(wav.resolveSibling(callId + ".json"));
      assertThat(sidecar.callId()).isEqualTo(callId);
      assertThat(sidecar.tenantId()).isEqualTo("acme");
      assertThat(sidecar.agentProfile()).isEqualTo("support");
      assertThat(sidecar.source()).isEqualTo("TWILIO");
      assertThat(sidecar.startedAt()).isEqualTo(t0.toString());
      assertThat(sidecar.endedAt()).isEqualTo(t0.plusSeconds(6).toString());
      assertThat(sidecar.durationMs()).isEqualTo(6000);
      assertThat(sidecar.endReason()).isEqualTo("CALLER_HANGUP");
      assertThat(sidecar.finalisedBy()).isEqualTo("CALL_ENDED");
      assertThat(sidecar.paused()).containsExactly(new Sidecar.TimeSpan(4000, 5000));
      assertThat(sidecar.turns())
          .extracting(Sidecar.Turn::speaker, Sidecar.Turn::itemId, Sidecar.Turn::interrupted)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("caller", null, null),
              org.assertj.core.groups.Tuple.tuple("agent", "item-a", false),
              org.assertj.core.groups.Tuple.tuple("agent", "item-b", true),
              org.assertj.core.groups.Tuple.tuple("caller", null, null));
      Sidecar.Turn cut = sidecar.turns().get(2);
      assertThat(cut.startMs()).isCloseTo(3200, within(5L));
      assertThat(cut.endMs()).isCloseTo(3500, within(5L));
      assertThat(sidecar.turns().get(0).endMs()).isCloseTo(2000, within(30L));
      assertThat(sidecar.turns().get(3).startMs()).isCloseTo(5000, within(30L));
    }
  }

  @Test
  void aSipCallIsAnnouncedAsRecordedByTheCarrierWithNoFile(KafkaCluster cluster, @TempDir Path root)
      throws Exception {
    try (var harness = new RecorderHarness(cluster)) {
      harness.start(root, Map.of());
      String callId = RecorderHarness.callIdOn(1, "sip");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
      harness.started(callId, t0, "support", CallSource.SIP, 0);
      harness.ended(callId, t0.plusSeconds(42), -1);
      harness.flush();

      SessionEvent ready = awaitReady(harness, callId);
      assertThat(ready.getRecording().getCarrierRecords()).isTrue();
      assertThat(ready.getRecording().getLocation()).isNull();
      assertThat(ready.getRecording().getDurationMs()).isEqualTo(42_000);
      try (var files = Files.walk(root.resolve("recordings"))) {
        assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
      }
    }
  }

  @Test
  void aProfileSwitchedOffIsNotRecordedWhileOthersAre(KafkaCluster cluster, @TempDir Path root)
      throws Exception {
    try (var harness = new RecorderHarness(cluster)) {
      harness.start(root, Map.of("recorder.profiles", "sales=off"));
      String skipped = RecorderHarness.callIdOn(0, "sales");
      String recorded = RecorderHarness.callIdOn(0, "support");
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
      harness.started(skipped, t0, "sales", CallSource.TWILIO, REPLY);
      harness.frames(skipped, 0, 50, t0, tone(440, 1000));
      harness.ended(skipped, t0.plusSeconds(1), 49);
      harness.started(recorded, t0, "support", CallSource.TWILIO, REPLY);
      harness.frames(recorded, 0, 50, t0, tone(440, 1000));
      harness.ended(recorded, t0.plusSeconds(1), 49);
      harness.flush();

      awaitReady(harness, recorded);
      assertThat(harness.readyEvents(skipped)).isEmpty();
      try (var files = Files.walk(root.resolve("recordings"))) {
        assertThat(files.map(Path::toString).filter(p -> p.contains(skipped)).toList()).isEmpty();
      }
    }
  }

  static SessionEvent awaitReady(RecorderHarness harness, String callId) {
    List<SessionEvent> events =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInSameThread()
            .pollInterval(Duration.ofMillis(200))
            .until(() -> harness.readyEvents(callId), e -> !e.isEmpty());
    return events.get(0);
  }

  static void playCall(RecorderHarness harness, String callId, Instant t0) {
    harness.started(callId, t0, "support", CallSource.TWILIO, REPLY);
    short[] caller = concat(tone(440, 2000), silence(2000), tone(440, 2000));
    harness.frames(callId, 0, 300, t0, caller);
    // Item A: three 200 ms chunks sent at once at 2.0 s; played 2.1-2.7 s per the marks.
    Instant sentA = t0.plusMillis(2000);
    for (int i = 0; i < 3; i++) {
      harness.agentAudio(callId, REPLY, i, "item-a", 200L * i, tone(1000, 200), sentA);
    }
    harness.mark(callId, "item-a:200", "item-a", 200, false, t0.plusMillis(2300));
    harness.mark(callId, "item-a:400", "item-a", 400, false, t0.plusMillis(2500));
    harness.mark(callId, "item-a:600", "item-a", 600, false, t0.plusMillis(2700));
    // Item B: five 200 ms chunks sent at 3.0 s, playing from 3.2 s; the caller barges in at 3.5 s.
    Instant sentB = t0.plusMillis(3000);
    for (int i = 0; i < 5; i++) {
      harness.agentAudio(callId, REPLY, 3 + i, "item-b", 200L * i, tone(1000, 200), sentB);
    }
    harness.mark(callId, "item-b:200", "item-b", 200, false, t0.plusMillis(3400));
    harness.clear(callId, REPLY, "item-b", t0.plusMillis(3490));
    harness.mark(callId, "clear:item-b", "item-b", 300, true, t0.plusMillis(3500));
    harness.mark(callId, "item-b:400", "item-b", 300, true, t0.plusMillis(3510));
    // A payment tool pauses the recording at 4 s; its follow-up resumes it at 5 s.
    harness.recordingAction(callId, CallActionKind.PAUSE_RECORDING, t0.plusMillis(4000));
    harness.recordingAction(callId, CallActionKind.RESUME_RECORDING, t0.plusMillis(5000));
    harness.ended(callId, t0.plusMillis(6000), 299);
    harness.flush();
  }
}
