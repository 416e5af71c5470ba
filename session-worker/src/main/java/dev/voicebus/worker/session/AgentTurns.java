package dev.voicebus.worker.session;

import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ResponseCreateParams;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.worker.output.Records;
import dev.voicebus.worker.state.ConversationEntry;
import dev.voicebus.worker.state.EntryKind;
import dev.voicebus.worker.state.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's side of the conversation: responses (through the {@link ResponseGate}), the audio
 * sent to the caller, and the transcripts of each agent item. Every agent final is published by
 * {@link #publishFinal}: once with the model's full text when its transcript is done, and once
 * more, marked interrupted, with the part the caller heard if the line was cut off (barge-in or a
 * lost session). Transcripts are redacted before they are published or kept (deltas are held back
 * only while they could still be part of a sensitive value), and a cut-off line is cut from the
 * redacted text.
 */
final class AgentTurns {

  /** Typical speech rate of Realtime voices (about 15 characters per second). */
  static final long SPOKEN_MS_PER_CHAR = 65;

  private static final int ITEMS_KEPT = 16;

  /** What is known of one agent audio item. */
  private static final class Item {
    final StringBuilder partial = new StringBuilder();
    String transcript;
    long audioMs;
    boolean interrupted;
  }

  private final CallScope scope;
  private final ResponseGate gate = new ResponseGate();
  private final PlaybackTracker playback = new PlaybackTracker();
  private final Map<String, Item> items =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Item> eldest) {
          return size() > ITEMS_KEPT;
        }
      };
  private long audioSeq;
  private String speakingItem;
  private Instant callerStoppedAt;
  private boolean playingOnPhone;

  AgentTurns(CallScope scope) {
    this.scope = scope;
  }

  ResponseGate gate() {
    return gate;
  }

  PlaybackTracker playback() {
    return playback;
  }

  /** Asks the model to respond now, or as soon as the active response is done. */
  void requestResponse() {
    if (gate.requestCreate()) {
      scope.send(new ClientEvent.ResponseCreate());
    }
  }

  /**
   * Has the agent say {@code line} word for word, as its own response; only when no response is
   * active or asked for.
   */
  void say(String line) {
    if (gate.requestCreate()) {
      scope.send(
          new ClientEvent.ResponseCreate(
              null,
              ResponseCreateParams.empty()
                  .withInstructions(
                      "Say exactly the following to the caller and nothing else: " + line)));
    }
  }

  /** Whether the agent is talking: a response is active or its audio is still playing. */
  boolean isSpeaking() {
    return gate.state() == ResponseGate.State.ACTIVE || playback.isPlaying();
  }

  void onResponseCreated(ServerEvent.ResponseCreated created) {
    gate.onCreated(created.response() == null ? null : created.response().id());
  }

  /** The active response is done; a response asked for meanwhile is requested now (then true). */
  boolean onResponseDone() {
    speakingItem = null;
    if (gate.onDone()) {
      scope.send(new ClientEvent.ResponseCreate());
      return true;
    }
    return false;
  }

  /**
   * Whether a SIP call's agent audio is playing on the phone leg (OpenAI plays it; the sideband
   * says {@code output_audio_buffer.started} and {@code .stopped}). Always false for stream calls.
   */
  boolean isPlayingOnPhone() {
    return playingOnPhone;
  }

  /** A SIP call's agent audio started playing on the phone leg: the turn's latency is known. */
  void onPhoneAudioStarted() {
    playingOnPhone = true;
    measureTurn();
  }

  /** A SIP call's agent audio stopped (played out or cleared). */
  void onPhoneAudioStopped() {
    playingOnPhone = false;
  }

  /** The caller stopped speaking: the agent's next first audio measures the turn's latency. */
  void callerStopped() {
    callerStoppedAt = scope.now();
  }

  void onAudio(ServerEvent.ResponseOutputAudioDelta delta) {
    measureTurn();
    byte[] payload = delta.deltaBytes();
    Item item = item(delta.itemId());
    var out =
        Records.agentAudio(
            scope.who,
            audioSeq++,
            delta.itemId(),
            delta.responseId(),
            item.audioMs,
            payload,
            scope.call.codec());
    long durationMs = (long) (payload.length / Records.bytesPerMs(scope.call.codec()));
    item.audioMs += durationMs;
    speakingItem = delta.itemId();
    playback.onAudioSent(delta.itemId(), durationMs);
    scope.toCaller(out);
  }

  /** The agent's first audio after the caller stopped: the turn's latency. */
  private void measureTurn() {
    if (callerStoppedAt != null) {
      scope.metrics.turnLatency(Duration.between(callerStoppedAt, scope.now()));
      scope.trace.turn(callerStoppedAt, scope.now());
      callerStoppedAt = null;
    }
  }

  /** A delta is published as far as it cannot be part of a sensitive value (see redaction). */
  void onTranscriptDelta(String responseId, String itemId, String text) {
    String released = scope.redaction.delta(itemId, text);
    if (!released.isEmpty()) {
      item(itemId).partial.append(released);
      scope.publish(
          transcript(itemId, TranscriptKind.DELTA, released).setResponseId(responseId).build());
    }
  }

  void onTranscriptDone(String responseId, String itemId, String text) {
    Item item = item(itemId);
    var redacted = scope.redaction.complete(itemId, text);
    if (!redacted.tail().isEmpty()) {
      item.partial.append(redacted.tail());
      scope.publish(
          transcript(itemId, TranscriptKind.DELTA, redacted.tail())
              .setResponseId(responseId)
              .build());
    }
    item.transcript = redacted.finalText() == null ? "" : redacted.finalText();
    publishFinal(itemId, responseId, item.transcript, item.audioMs, false);
    if (item.interrupted) {
      cut(itemId, Math.min(playback.sentMs(), item.audioMs), item.audioMs);
    } else {
      scope.change(
          new StateChange.EntryAdded(
              new ConversationEntry(EntryKind.AGENT, itemId, item.transcript, null, null)));
    }
  }

  /**
   * The caller cut in on {@code itemId} after hearing {@code heardMs} of it: nothing more of it
   * plays. If its transcript is known, what was heard is published now; otherwise when it is done.
   */
  void interrupted(String itemId, long heardMs) {
    Item item = item(itemId);
    item.interrupted = true;
    if (item.transcript != null) {
      cut(itemId, heardMs, item.audioMs);
    }
  }

  /**
   * The session went while the agent was speaking, so the response will never finish. What the
   * caller was sent is settled as an interrupted line (kept for the replay), and the next session
   * owes the caller a response so the agent goes on.
   */
  void settleCutOff() {
    String itemId = speakingItem;
    if (gate.state() != ResponseGate.State.ACTIVE || itemId == null) {
      return;
    }
    Item item = item(itemId);
    item.interrupted = true;
    long total = item.audioMs;
    if (item.transcript == null) {
      item.partial.append(scope.redaction.flush(itemId));
      item.transcript = item.partial.toString();
      // The transcript runs ahead of the audio and the response never finished, so its length is
      // unknown: estimate it from the text at a typical speaking pace.
      total = Math.max(item.audioMs, item.transcript.length() * SPOKEN_MS_PER_CHAR);
    }
    cut(itemId, Math.min(playback.sentMs(), item.audioMs), total);
    scope.change(new StateChange.ResponseOwed(true));
  }

  /** A session was replaced: nothing is active on the new one. */
  void sessionReplaced() {
    gate.reset();
    speakingItem = null;
    playingOnPhone = false;
  }

  private void cut(String itemId, long heardMs, long totalMs) {
    String heard = Transcripts.heardPart(item(itemId).transcript, heardMs, totalMs);
    publishFinal(itemId, null, heard, heardMs, true);
    scope.change(new StateChange.AgentLineCut(itemId, heard));
  }

  private void publishFinal(
      String itemId, String responseId, String text, long endMs, boolean interrupted) {
    scope.publish(
        transcript(itemId, TranscriptKind.FINAL, text)
            .setResponseId(responseId)
            .setInterrupted(interrupted)
            .setAudioStartMs(0L)
            .setAudioEndMs(endMs)
            .build());
  }

  private TranscriptEvent.Builder transcript(String itemId, TranscriptKind kind, String text) {
    return Records.transcriptBuilder(scope.who, itemId, Speaker.AGENT, kind, text, scope.now());
  }

  private Item item(String itemId) {
    return items.computeIfAbsent(itemId, id -> new Item());
  }
}
