package dev.voicebus.worker.session;

import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.StateChange;
import java.util.HashMap;
import java.util.Map;

/**
 * The caller's side of the conversation: whether the caller is speaking (server VAD), the audio
 * offsets of each caller item, and the caller's transcripts, which join the conversation that a new
 * session replays. Transcription billed by duration is costed here.
 */
final class CallerTurns {

  private final CallScope scope;
  private final Map<String, Integer> speechStartMs = new HashMap<>();
  private final Map<String, Integer> speechEndMs = new HashMap<>();
  private boolean speaking;

  CallerTurns(CallScope scope) {
    this.scope = scope;
  }

  boolean isSpeaking() {
    return speaking;
  }

  void onSpeechStarted(ServerEvent.InputAudioBufferSpeechStarted started) {
    speaking = true;
    speechStartMs.put(started.itemId(), started.audioStartMs());
  }

  void onSpeechStopped(ServerEvent.InputAudioBufferSpeechStopped stopped) {
    speaking = false;
    speechEndMs.put(stopped.itemId(), stopped.audioEndMs());
  }

  /** A delta is published as far as it cannot be part of a sensitive value (see redaction). */
  void onTranscriptDelta(ServerEvent.InputAudioTranscriptionDelta delta) {
    String released = scope.redaction.delta(delta.itemId(), delta.delta());
    if (!released.isEmpty()) {
      scope.publish(transcript(delta.itemId(), TranscriptKind.DELTA, released).build());
    }
  }

  void onTranscriptDone(ServerEvent.InputAudioTranscriptionCompleted done) {
    Integer start = speechStartMs.remove(done.itemId());
    Integer end = speechEndMs.remove(done.itemId());
    var redacted = scope.redaction.complete(done.itemId(), done.transcript());
    if (!redacted.tail().isEmpty()) {
      scope.publish(transcript(done.itemId(), TranscriptKind.DELTA, redacted.tail()).build());
    }
    scope.publish(
        transcript(done.itemId(), TranscriptKind.FINAL, redacted.finalText())
            .setAudioStartMs(start == null ? null : start.longValue())
            .setAudioEndMs(end == null ? null : end.longValue())
            .build());
    scope.change(
        new StateChange.EntryAdded(
            new ConversationEntry(
                EntryKind.CALLER,
                done.itemId(),
                redacted.finalText() == null ? "" : redacted.finalText(),
                null,
                null)));
    var usage = done.usage();
    if (usage != null) {
      String model = scope.call.profile().transcriptionModel();
      double cost = scope.settings.prices().forModel(model).transcriptionCost(usage);
      double seconds = usage.seconds() == null ? 0 : usage.seconds();
      var tokens = Records.tokens(usage);
      scope.publish(
          Records.transcriptionUsage(
              scope.who, scope.sessionId(), tokens, seconds, cost, scope.now()));
      scope.change(new StateChange.TranscriptionBilled(seconds, cost));
      scope.metrics.usage(String.valueOf(model), tokens, cost);
    }
  }

  private TranscriptEvent.Builder transcript(String itemId, TranscriptKind kind, String text) {
    return Records.transcriptBuilder(scope.who, itemId, Speaker.CALLER, kind, text, scope.now());
  }
}
