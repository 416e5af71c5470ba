package dev.voicebus.realtime.sandbox.audio;

/**
 * Energy-based voice activity detector in the manner of OpenAI's {@code server_vad}: 10 ms frames,
 * RMS against a threshold derived from the 0..1 {@code threshold} setting, speech confirmed after
 * 30 ms, stopped after {@code silence_duration_ms} of silence. Keeps only counters (no audio), so
 * it costs a few dozen bytes per session. Not thread-safe; one instance per session event loop.
 */
public final class EnergyVad {
  private static final int FRAME_MS = 10;
  private static final int CONFIRM_FRAMES = 3;

  /** Receives speech boundaries in milliseconds since the first audio of the session. */
  public interface Listener {
    void speechStarted(long audioStartMs);

    void speechStopped(long audioEndMs);
  }

  private final AudioFormat format;
  private final int frameSamples;
  private final double thresholdRms;
  private final int prefixPaddingMs;
  private final int silenceDurationMs;

  private long samplesSeen;
  private double frameSumSquares;
  private int frameFill;
  private boolean speaking;
  private int speechRunFrames;
  private long speechRunStartMs;
  private int silenceRunMs;
  private long floorMs;

  public EnergyVad(AudioFormat format, double threshold, int prefixPaddingMs, int silenceMs) {
    this.format = format;
    this.frameSamples = format.sampleRate() / 1000 * FRAME_MS;
    this.thresholdRms = thresholdRms(threshold);
    this.prefixPaddingMs = prefixPaddingMs;
    this.silenceDurationMs = silenceMs;
  }

  /** Maps the API's 0..1 threshold to an RMS level: 0 is -60 dBFS, 0.5 is -35 dBFS, 1 -10 dBFS. */
  public static double thresholdRms(double threshold) {
    double dbfs = -60 + 50 * Math.max(0, Math.min(1, threshold));
    return 32768 * Math.pow(10, dbfs / 20);
  }

  /** Feeds the next chunk of audio in session order, reporting boundaries to the listener. */
  public void accept(byte[] audio, Listener listener) {
    int samples = audio.length / format.bytesPerSample();
    for (int i = 0; i < samples; i++) {
      double s = format.sampleAt(audio, i);
      frameSumSquares += s * s;
      samplesSeen++;
      if (++frameFill == frameSamples) {
        endFrame(Math.sqrt(frameSumSquares / frameSamples) >= thresholdRms, listener);
        frameSumSquares = 0;
        frameFill = 0;
      }
    }
  }

  /** Forgets an ongoing speech segment and keeps later speech starts at or after {@code ms}. */
  public void reset(long ms) {
    speaking = false;
    speechRunFrames = 0;
    silenceRunMs = 0;
    floorMs = ms;
  }

  public boolean speaking() {
    return speaking;
  }

  /** Milliseconds of audio seen so far. */
  public long positionMs() {
    return samplesSeen * 1000 / format.sampleRate();
  }

  private void endFrame(boolean voiced, Listener listener) {
    long frameEndMs = positionMs();
    if (!speaking) {
      if (!voiced) {
        speechRunFrames = 0;
        return;
      }
      if (speechRunFrames++ == 0) {
        speechRunStartMs = frameEndMs - FRAME_MS;
      }
      if (speechRunFrames >= CONFIRM_FRAMES) {
        speaking = true;
        silenceRunMs = 0;
        listener.speechStarted(Math.max(floorMs, Math.max(0, speechRunStartMs - prefixPaddingMs)));
      }
      return;
    }
    silenceRunMs = voiced ? 0 : silenceRunMs + FRAME_MS;
    if (silenceRunMs >= silenceDurationMs) {
      speaking = false;
      speechRunFrames = 0;
      silenceRunMs = 0;
      listener.speechStopped(frameEndMs);
    }
  }
}
