package dev.voicebus.realtime.sandbox;

import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A simulated caller: leading silence, speech-like audio, trailing silence, in 20 ms frames. */
public final class CallerAudio {
  private CallerAudio() {}

  /** The whole utterance as one byte array in {@code format}. */
  public static byte[] utterance(AudioFormat format, int silenceMs, int speechMs, int trailingMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SpeechSynth.silenceMs(format, silenceMs));
    out.writeBytes(SpeechSynth.speechMs(format, speechMs));
    out.writeBytes(SpeechSynth.silenceMs(format, trailingMs));
    return out.toByteArray();
  }

  /** Splits audio into 20 ms frames (160 bytes for G.711, 960 for PCM16). */
  public static List<byte[]> frames(AudioFormat format, byte[] audio) {
    int frame = format.bytesPerMs() * 20;
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < audio.length; off += frame) {
      out.add(Arrays.copyOfRange(audio, off, Math.min(audio.length, off + frame)));
    }
    return out;
  }
}
