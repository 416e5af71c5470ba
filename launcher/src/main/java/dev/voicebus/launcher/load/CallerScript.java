package dev.voicebus.launcher.load;

import dev.voicebus.launcher.audio.CallerAudio;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * What every simulated caller says, looped: one utterance of the bundled demo WAV followed by
 * silence (so the Realtime side's VAD ends the turn and answers), as 20 ms mu-law frames. Each
 * frame carries its 16-bit sequence number in four near-silent samples, so every frame of a call
 * differs and lost, duplicated or reordered frames change the call's audio checksum.
 */
public final class CallerScript {

  /** Bytes in one 20 ms mu-law frame. */
  public static final int FRAME = 160;

  private final byte[] cycle;

  CallerScript(byte[] speech, int cycleMs) {
    int speechLen = speech.length / FRAME * FRAME;
    int cycleLen = Math.max(speechLen + FRAME * 25, cycleMs * 8 / FRAME * FRAME);
    this.cycle = new byte[cycleLen];
    Arrays.fill(cycle, (byte) 0xFF);
    System.arraycopy(speech, 0, cycle, 0, speechLen);
  }

  /** The bundled caller's first utterance (at most 1.5 s), then silence, every 5 s. */
  public static CallerScript bundled() {
    try (InputStream in =
        CallerScript.class.getClassLoader().getResourceAsStream("demo/caller.wav")) {
      if (in == null) {
        throw new IllegalStateException("demo/caller.wav is missing from the classpath");
      }
      byte[] first = CallerAudio.read(in, "demo/caller.wav").utterances(700).get(0);
      return new CallerScript(Arrays.copyOf(first, Math.min(first.length, 12_000)), 5000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int cycleFrames() {
    return cycle.length / FRAME;
  }

  /** Where call {@code index} starts in the cycle (260 ms apart, so calls are staggered). */
  int startFrame(int index) {
    return (index * 13) % cycleFrames();
  }

  /** Frame {@code seq} of a call that started at {@code startFrame}, with its sequence mark. */
  byte[] frame(int startFrame, long seq) {
    int at = (int) ((startFrame + seq) % cycleFrames()) * FRAME;
    byte[] frame = Arrays.copyOfRange(cycle, at, at + FRAME);
    for (int i = 0; i < 4; i++) {
      int nibble = (int) (seq >>> (4 * i)) & 0xF;
      frame[i] = (byte) (0xF0 | nibble);
    }
    return frame;
  }
}
