package dev.voicebus.analytics.assembly;

import dev.voicebus.avro.CallReconnect;
import dev.voicebus.avro.CallTurn;
import dev.voicebus.avro.Speaker;
import dev.voicebus.avro.TranscriptEvent;
import dev.voicebus.avro.TranscriptKind;
import java.time.Instant;
import java.util.Comparator;

/**
 * The conversation part of a call document: turns created at their first words and completed by
 * their finals, placed on the call's clock and kept in the order they began.
 *
 * <p>Caller offsets are milliseconds into the Realtime session's input audio; the session's audio
 * begins (offset 0) when the call starts for the first session, and at the break a reconnect
 * reports ({@code at - gapMs}) for each later one, because the worker holds the caller's audio
 * across the gap and sends it first. Without a known start, a caller turn is placed at its final's
 * arrival. Agent turns begin at their first transcript delta, which the Realtime API streams
 * together with the first audio.
 */
final class TurnUpdates {

  private static final Comparator<CallTurn> BY_START =
      Comparator.comparing(
          CallTurn::getStartedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()));

  private TurnUpdates() {}

  /** Applies a transcript record; true when the document changed. */
  static boolean apply(Draft d, TranscriptEvent event, String generatedSoFar, int maxChars) {
    d.identify(event.getTenantId(), event.getAgentProfile(), event.getExternalCallId());
    int index = d.turnIndex(event.getItemId());
    if (event.getKind() == TranscriptKind.DELTA) {
      if (index >= 0) {
        return false;
      }
      d.turns.add(newTurn(event).setStartedAt(event.getAt()).build());
      d.turns.sort(BY_START);
      return true;
    }
    if (event.getKind() != TranscriptKind.FINAL) {
      return false;
    }
    CallTurn.Builder turn = index >= 0 ? CallTurn.newBuilder(d.turns.get(index)) : newTurn(event);
    if (event.getRole() == Speaker.AGENT) {
      agentFinal(turn, event, generatedSoFar, maxChars, d);
    } else {
      callerFinal(turn, event, maxChars, d);
    }
    if (index >= 0) {
      d.turns.set(index, turn.build());
    } else {
      d.turns.add(turn.build());
    }
    d.turns.sort(BY_START);
    return true;
  }

  private static CallTurn.Builder newTurn(TranscriptEvent event) {
    return CallTurn.newBuilder()
        .setItemId(event.getItemId())
        .setSpeaker(event.getRole())
        .setText("")
        .setComplete(false);
  }

  private static void callerFinal(
      CallTurn.Builder turn, TranscriptEvent event, int maxChars, Draft d) {
    setText(turn, event.getText(), maxChars, d);
    turn.setComplete(true)
        .setAudioStartMs(event.getAudioStartMs())
        .setAudioEndMs(event.getAudioEndMs());
    Instant at = event.getAt();
    Instant anchor = audioAnchor(d, at);
    if (anchor != null && event.getAudioStartMs() != null && event.getAudioEndMs() != null) {
      place(turn, anchor, event.getAudioStartMs(), event.getAudioEndMs(), at);
    } else {
      // Not placeable yet: at the final's arrival (CallStarted re-places it when it comes).
      long spoken =
          event.getAudioStartMs() == null || event.getAudioEndMs() == null
              ? 0
              : event.getAudioEndMs() - event.getAudioStartMs();
      turn.setStartedAt(at.minusMillis(Math.max(0, spoken))).setEndedAt(at);
    }
  }

  /** Speech from {@code startMs} to {@code endMs} of the session audio beginning at anchor. */
  private static void place(
      CallTurn.Builder turn, Instant anchor, long startMs, long endMs, Instant transcribedAt) {
    Instant start = anchor.plusMillis(startMs);
    Instant end = anchor.plusMillis(endMs);
    // Speech cannot end after its transcript was done; a late anchor would place it there.
    if (end.isAfter(transcribedAt)) {
      start = start.minusMillis(end.toEpochMilli() - transcribedAt.toEpochMilli());
      end = transcribedAt;
    }
    turn.setStartedAt(start).setEndedAt(end);
  }

  /**
   * CallStarted arrived after caller turns were placed (it takes a repartition hop, transcripts do
   * not): places them again on the call's real clock. A turn placed at its final's arrival has that
   * arrival as its end, which still bounds it.
   */
  static void retimeCallerTurns(Draft d) {
    for (int i = 0; i < d.turns.size(); i++) {
      CallTurn turn = d.turns.get(i);
      if (turn.getSpeaker() != Speaker.CALLER
          || !turn.getComplete()
          || turn.getAudioStartMs() == null
          || turn.getAudioEndMs() == null
          || turn.getEndedAt() == null) {
        continue;
      }
      Instant anchor = audioAnchor(d, turn.getEndedAt());
      var builder = CallTurn.newBuilder(turn);
      place(builder, anchor, turn.getAudioStartMs(), turn.getAudioEndMs(), turn.getEndedAt());
      d.turns.set(i, builder.build());
    }
    d.turns.sort(BY_START);
  }

  private static void agentFinal(
      CallTurn.Builder turn, TranscriptEvent event, String generatedSoFar, int maxChars, Draft d) {
    if (turn.getStartedAt() == null) {
      long heard = event.getAudioEndMs() == null ? 0 : event.getAudioEndMs();
      turn.setStartedAt(event.getAt().minusMillis(event.getInterrupted() ? heard : 0));
    }
    if (event.getInterrupted()) {
      turn.setInterrupted(true).setHeardText(clipCounted(event.getText(), maxChars, d));
      if (turn.getText().isEmpty()) {
        String generated =
            generatedSoFar != null && !generatedSoFar.isEmpty() ? generatedSoFar : event.getText();
        setText(turn, generated, maxChars, d);
      }
    } else {
      setText(turn, event.getText(), maxChars, d);
    }
    turn.setComplete(true).setAudioStartMs(0L).setAudioEndMs(event.getAudioEndMs());
    if (event.getAudioEndMs() != null) {
      turn.setEndedAt(turn.getStartedAt().plusMillis(event.getAudioEndMs()));
    }
  }

  private static void setText(CallTurn.Builder turn, String text, int maxChars, Draft d) {
    String value = text == null ? "" : text;
    turn.setText(clipCounted(value, maxChars, d)).setClipped(Texts.clipped(value, maxChars));
  }

  private static String clipCounted(String text, int maxChars, Draft d) {
    if (Texts.clipped(text, maxChars)) {
      d.truncation.setClippedTexts(d.truncation.getClippedTexts() + 1);
    }
    return Texts.clip(text, maxChars);
  }

  /**
   * Where offset 0 of the session that was live at {@code at} lies on the call's clock: the break
   * of the latest reconnect before {@code at}, else the call's start; null when neither is known.
   */
  static Instant audioAnchor(Draft d, Instant at) {
    // Until CallStarted (the only record setting the source), the start is a guess.
    Instant anchor = d.doc.getSource() == null ? null : d.doc.getStartedAt();
    for (CallReconnect reconnect : d.reconnects) {
      if (!reconnect.getAt().isAfter(at)) {
        anchor = reconnect.getAt().minusMillis(reconnect.getGapMs());
      }
    }
    return anchor;
  }
}
