package dev.voicebus.worker.session;

import java.util.OptionalInt;

/**
 * What the caller has actually heard of the agent's current audio item: the worker counts the audio
 * it sent for the item, and the ingest node acknowledges played positions (PlaybackMarks). The
 * truncation point for a barge-in is the acknowledged position clamped to the audio sent, and there
 * is none before the item's first audio (truncating then is a protocol error). Not thread-safe: the
 * owning {@link LiveCall} serialises access.
 */
final class PlaybackTracker {

  private String itemId;
  private long sentMs;
  private long heardMs;

  /** Agent audio of {@code durationMs} for {@code item} went to the caller. */
  void onAudioSent(String item, long durationMs) {
    if (!item.equals(itemId)) {
      itemId = item;
      sentMs = 0;
      heardMs = 0;
    }
    sentMs += durationMs;
  }

  /** The caller's side reports {@code playedMs} of {@code item} played. */
  void onPlayed(String item, long playedMs) {
    if (item.equals(itemId)) {
      heardMs = Math.max(heardMs, playedMs);
    }
  }

  /** The item whose audio is playing or was played last, or null. */
  String itemId() {
    return itemId;
  }

  /** Offset (in the item's audio) where the item is still ahead of the caller's ear. */
  long sentMs() {
    return sentMs;
  }

  /** Whether audio was sent that the caller has not been reported to hear yet. */
  boolean isPlaying() {
    return itemId != null && heardMs < sentMs;
  }

  /**
   * Where to truncate the current item on barge-in: what was heard, clamped to what was sent; empty
   * when no audio of the item was sent yet.
   */
  OptionalInt truncationPoint() {
    if (itemId == null || sentMs == 0) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) Math.min(heardMs, sentMs));
  }

  /** Playback of the current item was cleared: nothing more of it will be heard. */
  void onCleared() {
    sentMs = Math.min(sentMs, heardMs);
  }
}
