package dev.voicebus.realtime.sandbox.protocol;

/**
 * How agent audio is streamed: chunk length per {@code response.output_audio.delta} and speed
 * relative to real time (OpenAI bursts audio faster than it plays; infinity means no waiting).
 *
 * @param chunkMs audio per delta, 20-1000 ms
 * @param speed playback multiple: 1 is real time, 4 four times faster, infinity as fast as possible
 */
public record ResponsePacing(int chunkMs, double speed) {
  public static final ResponsePacing DEFAULT = new ResponsePacing(100, 4.0);

  public ResponsePacing {
    if (chunkMs < 20 || chunkMs > 1000) {
      throw new IllegalArgumentException("chunkMs must be 20-1000, got " + chunkMs);
    }
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0, got " + speed);
    }
  }

  /** Wall-clock delay between two deltas, in milliseconds. */
  public long delayMillis() {
    return Double.isInfinite(speed) ? 0 : Math.round(chunkMs / speed);
  }
}
