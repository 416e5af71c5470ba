package dev.voicebus.recorder.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test audio: sine tones, and a stereo WAV read back with its level and pitch per stretch. */
public final class Tones {

  private Tones() {}

  /** {@code ms} milliseconds of a {@code hz} sine at 8 kHz, amplitude 8000. */
  public static short[] tone(double hz, int ms) {
    short[] pcm = new short[ms * 8];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
    }
    return pcm;
  }

  public static short[] silence(int ms) {
    return new short[ms * 8];
  }

  public static short[] concat(short[]... parts) {
    int length = 0;
    for (short[] part : parts) {
      length += part.length;
    }
    short[] all = new short[length];
    int at = 0;
    for (short[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** A 16-bit stereo WAV as read back: its header fields and both channels. */
  public record Wav(int channels, int sampleRate, int bits, short[] left, short[] right) {

    public static Wav read(Path path) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
      int channels = bytes.getShort(22);
      int rate = bytes.getInt(24);
      int bits = bytes.getShort(34);
      int data = bytes.getInt(40);
      int frames = data / 4;
      short[] left = new short[frames];
      short[] right = new short[frames];
      for (int i = 0; i < frames; i++) {
        left[i] = bytes.getShort(44 + 4 * i);
        right[i] = bytes.getShort(46 + 4 * i);
      }
      return new Wav(channels, rate, bits, left, right);
    }

    public double durationMs() {
      return left.length * 1000.0 / sampleRate;
    }

    /** RMS of {@code channel} between {@code fromMs} and {@code toMs}. */
    public static double rms(short[] channel, int rate, long fromMs, long toMs) {
      int from = (int) (fromMs * rate / 1000);
      int to = (int) Math.min(channel.length, toMs * rate / 1000);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += (double) channel[i] * channel[i];
      }
      return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }

    /** The pitch of {@code channel} between the times, from its zero crossings, in Hz. */
    public static double pitch(short[] channel, int rate, long fromMs, long toMs) {
      int from = (int) (fromMs * rate / 1000);
      int to = (int) Math.min(channel.length, toMs * rate / 1000);
      int crossings = 0;
      for (int i = from + 1; i < to; i++) {
        if ((channel[i - 1] < 0) != (channel[i] < 0)) {
          crossings++;
        }
      }
      return crossings / 2.0 / ((to - from) / (double) rate);
    }
  }
}
