package dev.voicebus.realtime.sandbox.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * 20 ms mu-law frames that carry their own sequence number, so a test can read back from what a
 * Realtime session received exactly which frames arrived, in which order, and whether any came
 * twice. The number is written as six near-silent samples (mu-law codes 0xF0-0xFF, amplitude at
 * most 120 of 32767) at the start of the frame, which leaves the frame's speech or silence as it
 * was for voice activity detection.
 */
public final class MarkedAudio {

  /** Bytes in one 20 ms mu-law frame at 8 kHz. */
  public static final int FRAME_BYTES = 160;

  private static final int MARK_SAMPLES = 6;
  // All-ones is what plain digital silence (0xFF) reads as, so it is not a valid mark.
  private static final int NO_MARK = (1 << (4 * MARK_SAMPLES)) - 1;
  private static final int MAX_SEQ = NO_MARK - 1;

  private MarkedAudio() {}

  /** A 20 ms speech ({@code speech} true) or silence frame carrying {@code seq}. */
  public static byte[] frame(long seq, boolean speech) {
    if (seq < 0 || seq > MAX_SEQ) {
      throw new IllegalArgumentException("seq must be 0-" + MAX_SEQ + ", got " + seq);
    }
    byte[] frame =
        speech
            ? SpeechSynth.speech(AudioFormat.PCMU, seq * FRAME_BYTES, FRAME_BYTES)
            : SpeechSynth.silenceMs(AudioFormat.PCMU, 20);
    for (int i = 0; i < MARK_SAMPLES; i++) {
      frame[i] = (byte) (0xF0 | ((seq >> (4 * i)) & 0x0F));
    }
    return frame;
  }

  /**
   * The sequence numbers of the frames in {@code audio}, in order. Fails if the audio is not made
   * of whole marked frames (a frame split, altered or not marked).
   */
  public static List<Long> sequence(byte[] audio) {
    if (audio.length % FRAME_BYTES != 0) {
      throw new IllegalArgumentException(
          audio.length + " bytes is not a whole number of " + FRAME_BYTES + "-byte frames");
    }
    List<Long> seqs = new ArrayList<>(audio.length / FRAME_BYTES);
    for (int offset = 0; offset < audio.length; offset += FRAME_BYTES) {
      long seq = 0;
      for (int i = 0; i < MARK_SAMPLES; i++) {
        int b = audio[offset + i] & 0xFF;
        if ((b & 0xF0) != 0xF0) {
          throw new IllegalArgumentException("frame at byte " + offset + " carries no mark");
        }
        seq |= (long) (b & 0x0F) << (4 * i);
      }
      if (seq == NO_MARK) {
        throw new IllegalArgumentException("frame at byte " + offset + " carries no mark");
      }
      seqs.add(seq);
    }
    return seqs;
  }
}
