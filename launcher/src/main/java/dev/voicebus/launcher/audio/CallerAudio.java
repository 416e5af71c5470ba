package dev.voicebus.launcher.audio;

import dev.voicebus.telephony.audio.G711;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A caller's audio as a phone network carries it: 8 kHz mono mu-law. Reads any PCM or G.711 WAV
 * that Java Sound understands, mixes it to mono, resamples it linearly to 8 kHz and encodes it, and
 * splits it into utterances at pauses so a simulated caller can wait for the agent between them.
 */
public final class CallerAudio {

  public static final int RATE = 8000;
  private static final int FRAME = 160;

  private final short[] pcm;

  private CallerAudio(short[] pcm) {
    this.pcm = pcm;
  }

  /** Reads a WAV stream; fails with a message naming what is wrong with the file. */
  public static CallerAudio read(InputStream wav, String name) throws IOException {
    try (AudioInputStream source = AudioSystem.getAudioInputStream(new BufferedInputStream(wav))) {
      AudioFormat in = source.getFormat();
      short[] interleaved = isG711(in) ? decodeG711(source, in) : decodePcm(source, in, name);
      short[] mono = toMono(interleaved, in.getChannels());
      return new CallerAudio(resample(mono, (int) in.getSampleRate(), RATE));
    } catch (UnsupportedAudioFileException e) {
      throw new IOException(
          name + " is not a WAV file Voicebus can read (PCM or G.711): " + e.getMessage(), e);
    }
  }

  private static boolean isG711(AudioFormat format) {
    return (format.getEncoding().equals(AudioFormat.Encoding.ULAW)
            || format.getEncoding().equals(AudioFormat.Encoding.ALAW))
        && format.getSampleSizeInBits() == 8;
  }

  /** G.711 is expanded by Voicebus' own codec, the same one every service uses. */
  private static short[] decodeG711(AudioInputStream source, AudioFormat in) throws IOException {
    byte[] codes = source.readAllBytes();
    return in.getEncoding().equals(AudioFormat.Encoding.ULAW)
        ? G711.muLawToPcm(codes)
        : G711.aLawToPcm(codes);
  }

  private static short[] decodePcm(AudioInputStream source, AudioFormat in, String name)
      throws IOException {
    AudioFormat pcm16 =
        new AudioFormat(
            AudioFormat.Encoding.PCM_SIGNED,
            in.getSampleRate(),
            16,
            in.getChannels(),
            in.getChannels() * 2,
            in.getSampleRate(),
            false);
    try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm16, source)) {
      byte[] bytes = decoded.readAllBytes();
      short[] samples = new short[bytes.length / 2];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
      return samples;
    } catch (IllegalArgumentException e) {
      throw new IOException(
          name
              + " uses "
              + in.getEncoding()
              + ", which cannot be converted to PCM: "
              + e.getMessage(),
          e);
    }
  }

  public long durationMs() {
    return pcm.length * 1000L / RATE;
  }

  /** The whole audio as 8 kHz mu-law. */
  public byte[] mulaw() {
    return encode(0, pcm.length);
  }

  /**
   * The audio cut into utterances at pauses of at least {@code pauseMs}; each keeps up to 200 ms of
   * its surrounding silence so speech onsets are not clipped.
   */
  public List<byte[]> utterances(int pauseMs) {
    int frames = pcm.length / FRAME;
    boolean[] voiced = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      voiced[f] = rms(f * FRAME, FRAME) > 300;
    }
    List<byte[]> result = new ArrayList<>();
    int pauseFrames = pauseMs / 20;
    int f = 0;
    while (f < frames) {
      while (f < frames && !voiced[f]) {
        f++;
      }
      if (f >= frames) {
        break;
      }
      int start = f;
      int silent = 0;
      while (f < frames && silent < pauseFrames) {
        silent = voiced[f] ? 0 : silent + 1;
        f++;
      }
      int end = f - silent;
      int from = Math.max(0, start - 10) * FRAME;
      int to = Math.min(frames, end + 10) * FRAME;
      result.add(encode(from, to));
    }
    return result;
  }

  private byte[] encode(int from, int to) {
    return G711.pcmToMuLaw(pcm, from, to);
  }

  private double rms(int from, int count) {
    double sum = 0;
    for (int i = from; i < from + count; i++) {
      sum += (double) pcm[i] * pcm[i];
    }
    return Math.sqrt(sum / count);
  }

  private static short[] toMono(short[] interleaved, int channels) {
    if (channels == 1) {
      return interleaved;
    }
    short[] mono = new short[interleaved.length / channels];
    for (int i = 0; i < mono.length; i++) {
      int sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += interleaved[i * channels + c];
      }
      mono[i] = (short) (sum / channels);
    }
    return mono;
  }

  static short[] resample(short[] in, int fromRate, int toRate) {
    if (fromRate == toRate || in.length == 0) {
      return in;
    }
    int outLength = (int) ((long) in.length * toRate / fromRate);
    short[] out = new short[outLength];
    double step = (double) fromRate / toRate;
    for (int i = 0; i < outLength; i++) {
      double position = i * step;
      int left = (int) position;
      int right = Math.min(left + 1, in.length - 1);
      double weight = position - left;
      out[i] = (short) Math.round(in[left] * (1 - weight) + in[right] * weight);
    }
    return out;
  }
}
