package dev.voicebus.worker.session;

/**
 * Estimates what the caller heard of an interrupted agent turn. The Realtime API deletes the
 * unheard transcript on truncation but does not say which words remain, so the transcript is cut at
 * the heard fraction of the item's audio, at a word boundary. Pure.
 */
final class Transcripts {

  private Transcripts() {}

  static String heardPart(String transcript, long heardMs, long totalMs) {
    if (transcript == null || transcript.isEmpty() || totalMs <= 0 || heardMs <= 0) {
      return "";
    }
    if (heardMs >= totalMs) {
      return transcript;
    }
    int cut = (int) Math.round(transcript.length() * (double) heardMs / totalMs);
    int space = transcript.lastIndexOf(' ', cut);
    return (space <= 0 ? "" : transcript.substring(0, space)).trim();
  }
}
